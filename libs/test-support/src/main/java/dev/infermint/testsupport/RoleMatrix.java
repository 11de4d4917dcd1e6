package dev.infermint.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads a role matrix written as a text table (the same table as in docs/roles.md) into parameterised-test cases.
 *
 * <pre>{@code
 * operation  | platform-admin | tenant-admin | anonymous
 * list-keys  | 200            | 200          | 401
 * }</pre>
 */
public final class RoleMatrix {

  private RoleMatrix() {
  }

  /**
   * @param table the header row names the callers; each further row names an operation and the expected statuses
   * @return one {@code (operation, caller, expectedStatus)} case per cell
   */
  public static Stream<Arguments> cases(String table) {
    List<String> lines = table.lines().filter(l -> !l.isBlank()).toList();
    String[] callers = cells(lines.get(0));
    List<Arguments> cases = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = cells(line);
      if (cells.length != callers.length) {
        throw new IllegalArgumentException("Row '" + cells[0] + "' has " + (cells.length - 1) + " cells for "
            + (callers.length - 1) + " callers");
      }
      for (int i = 1; i < cells.length; i++) {
        cases.add(Arguments.of(cells[0], callers[i], Integer.parseInt(cells[i])));
      }
    }
    return cases.stream();
  }

  private static String[] cells(String line) {
    return Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
  }
}
