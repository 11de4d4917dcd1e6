package dev.infermint.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infermint.problem.ProblemException;

/** Labels as lines or as a JSON array. */
class ClassLabelsTest {

  @Test
  void readsLinesAndJsonArrays() {
    assertEquals(List.of("cat", "dog"), ClassLabels.parse("cat\r\ndog\n\n"));
    assertEquals(List.of("a b", "c"), ClassLabels.parse("[\"a b\", \"c\"]"));
    assertNull(ClassLabels.parse("  \n"));
    assertNull(ClassLabels.parse(null));
  }

  @Test
  void refusesBlankLabelsAndNonStringItemsNamingTheField() {
    ProblemException blank = assertThrows(ProblemException.class, () -> ClassLabels.parse("cat\n\ndog"));
    assertEquals("labels", blank.problem().extensions().get("field"));
    assertEquals(422, blank.status());
    assertThrows(ProblemException.class, () -> ClassLabels.parse("[\"a\", 3]"));
    assertThrows(ProblemException.class, () -> ClassLabels.parse("[\"a\""));
  }
}
