package dev.infermint.licensing;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code infermint-license}: verify a licence or machine file offline, and activate, validate and fetch machine
 * files online. Exit codes: 0 valid / done, 1 invalid (the reason is printed), 2 usage error, 3 the API refused or
 * could not be reached.
 */
@Command(name = "infermint-license", mixinStandardHelpOptions = true, version = "infermint-license 0.1.0",
    description = "Infermint licences: offline verification and online activation.",
    subcommands = {LicenseCli.Verify.class, LicenseCli.Activate.class, LicenseCli.Validate.class,
        LicenseCli.MachineFile.class})
public final class LicenseCli {

  /** Exit code of a licence that is not valid. */
  public static final int INVALID = 1;
  /** Exit code of a refused or failed API call. */
  public static final int API_FAILED = 3;

  private LicenseCli() {
  }

  /**
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** @return the command line, for embedding or tests */
  public static CommandLine commandLine() {
    return new CommandLine(LicenseCli.class);
  }

  /** Options naming the platform and the licence, shared by the online commands. */
  static class Online {
    @Option(names = "--url", defaultValue = "${INFERMINT_URL:-http://localhost:8080}",
        description = "The platform's public URL (default: $INFERMINT_URL or ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--key", required = true, defaultValue = "${INFERMINT_LICENSE_KEY}",
        description = "The licence key (default: $INFERMINT_LICENSE_KEY).")
    String key;
  }

  /** {@code verify}: offline. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Verify a licence file, or a machine file with --fingerprint, offline with the public key.")
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The licence or machine file (a path, or the JWS itself).")
    String file;

    @Option(names = "--public-key", description = "The public key: a PEM file (GET /api/v1/licenses/public-key).")
    Path publicKey;

    @Option(names = "--jwks", description = "A JWK Set: a file, or an http(s) URL (GET /api/v1/licenses/jwks.json).")
    String jwks;

    @Option(names = "--fingerprint", description = "This machine's fingerprint: the file is a machine file bound to it.")
    String fingerprint;

    @Option(names = "--entitlement", description = "An entitlement the licence must hold (repeatable).")
    List<String> entitlements = List.of();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if ((publicKey == null) == (jwks == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Give exactly one of --public-key or --jwks");
      }
      LicenseVerifier verifier = publicKey != null ? LicenseVerifier.fromPublicKeyPem(Files.readString(publicKey))
          : LicenseVerifier.fromJwks(read(jwks));
      String jws = text(file);
      try {
        VerifiedLicense license = fingerprint == null ? verifier.verifyLicense(jws)
            : verifier.verifyMachineFile(jws, fingerprint);
        verifier.requireEntitlements(license, entitlements.toArray(String[]::new));
        out.printf("VALID licence %s (tenant %s, product %s), expires %s, entitlements %s%n", license.licenseId(),
            license.tenant(), license.product(), license.licenseExpiresAt() == null ? "never" : license.licenseExpiresAt(),
            license.entitlements());
        return 0;
      } catch (LicenseVerificationException e) {
        err.printf("INVALID: %s (%s)%n", e.reason(), e.getMessage());
        return INVALID;
      }
    }
  }

  /** {@code activate}: online. */
  @Command(name = "activate", mixinStandardHelpOptions = true, description = "Activate this machine on a licence.")
  static final class Activate implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @CommandLine.Mixin
    OnlineMixin online;
    @Option(names = "--license", required = true, description = "The licence id.")
    String licenseId;
    @Option(names = "--fingerprint", required = true, description = "This machine's fingerprint.")
    String fingerprint;
    @Option(names = "--name", description = "A name for people.")
    String name;

    @Override
    public Integer call() {
      return online.run(spec, client -> {
        LicenseClient.Machine m = client.activate(licenseId, online.key, fingerprint, name);
        spec.commandLine().getOut().printf("ACTIVATED machine %s (fingerprint %s)%n", m.id(), m.fingerprint());
        return 0;
      });
    }
  }

  /** {@code validate}: online. */
  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Ask the platform whether a key is valid.")
  static final class Validate implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @CommandLine.Mixin
    OnlineMixin online;
    @Option(names = "--fingerprint", description = "Check this machine is activated.")
    String fingerprint;
    @Option(names = "--entitlement", description = "An entitlement the licence must hold (repeatable).")
    List<String> entitlements = List.of();

    @Override
    public Integer call() {
      return online.run(spec, client -> {
        LicenseClient.Validation v = client.validate(online.key, fingerprint, entitlements);
        (v.valid() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(v.code());
        return v.valid() ? 0 : INVALID;
      });
    }
  }

  /** {@code machine-file}: online, then saved. */
  @Command(name = "machine-file", mixinStandardHelpOptions = true,
      description = "Fetch this machine's signed machine file, for running offline.")
  static final class MachineFile implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @CommandLine.Mixin
    OnlineMixin online;
    @Option(names = "--license", required = true, description = "The licence id.")
    String licenseId;
    @Option(names = "--machine", required = true, description = "The machine id (from activate).")
    String machineId;
    @Option(names = {"-o", "--output"}, description = "Where to write it (default: standard output).")
    Path output;

    @Override
    public Integer call() {
      return online.run(spec, client -> {
        String file = client.machineFile(licenseId, machineId, online.key);
        if (output == null) {
          spec.commandLine().getOut().println(file);
        } else {
          Files.writeString(output, file);
          spec.commandLine().getOut().printf("Machine file written to %s%n", output);
        }
        return 0;
      });
    }
  }

  /** The online options as a mixin, and the error handling every online command shares. */
  static final class OnlineMixin extends Online {

    interface Call {
      int run(LicenseClient client) throws LicenseApiException, IOException;
    }

    int run(CommandSpec spec, Call call) {
      try {
        return call.run(new LicenseClient(url));
      } catch (LicenseApiException e) {
        spec.commandLine().getErr().println(e.code() != null ? e.code() + ": " + e.getMessage() : e.getMessage());
        return API_FAILED;
      } catch (IOException e) {
        spec.commandLine().getErr().println("Could not write: " + e.getMessage());
        return API_FAILED;
      }
    }
  }

  private static String text(String fileOrJws) throws IOException {
    Path path = Path.of(fileOrJws);
    return (Files.isRegularFile(path) ? Files.readString(path) : fileOrJws).trim();
  }

  private static String read(String fileOrUrl) throws IOException, InterruptedException {
    if (fileOrUrl.startsWith("http://") || fileOrUrl.startsWith("https://")) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fileOrUrl)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(fileOrUrl + " answered " + r.statusCode());
      }
      return r.body();
    }
    return Files.readString(Path.of(fileOrUrl));
  }
}
