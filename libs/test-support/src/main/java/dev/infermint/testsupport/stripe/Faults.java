package dev.infermint.testsupport.stripe;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The injected failures, checked in the order they were added; the first rule that matches a call answers it. */
final class Faults {

  private static final class Rule {
    final String method;
    final String pathPrefix;
    final StripeFault fault;
    int remaining;

    Rule(String method, String pathPrefix, StripeFault fault, int remaining) {
      this.method = method;
      this.pathPrefix = pathPrefix;
      this.fault = fault;
      this.remaining = remaining;
    }

    boolean matches(String callMethod, String path) {
      return (method == null || method.equalsIgnoreCase(callMethod)) && path.startsWith(pathPrefix);
    }
  }

  /** A rule with this count fails every matching call until cleared. */
  static final int UNTIL_CLEARED = -1;

  private final List<Rule> rules = new ArrayList<>();

  synchronized void add(String method, String pathPrefix, StripeFault fault, int count) {
    rules.add(new Rule(method, pathPrefix == null ? "" : pathPrefix, fault, count));
  }

  /** @return the fault for this call, counting it against its rule, or null to run the call */
  synchronized StripeFault next(String method, String path) {
    Iterator<Rule> it = rules.iterator();
    while (it.hasNext()) {
      Rule rule = it.next();
      if (rule.matches(method, path)) {
        if (rule.remaining != UNTIL_CLEARED && --rule.remaining == 0) {
          it.remove();
        }
        return rule.fault;
      }
    }
    return null;
  }

  synchronized void clear() {
    rules.clear();
  }
}
