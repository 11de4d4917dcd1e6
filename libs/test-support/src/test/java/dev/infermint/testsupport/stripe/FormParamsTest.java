package dev.infermint.testsupport.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FormParamsTest {

  @Test
  void bracketNotationBecomesNestedMapsAndLists() {
    Map<String, Object> params = FormParams.parse("metadata%5Btenant_id%5D=t1&line_items%5B1%5D%5Bprice%5D=p2"
        + "&line_items%5B0%5D%5Bprice%5D=p1&line_items%5B0%5D%5Bquantity%5D=3&lookup_keys[]=a&lookup_keys[]=b"
        + "&expand[0]=data.product&email=a%40b.c&name=Jo+Doe");

    assertEquals(Map.of("tenant_id", "t1"), params.get("metadata"));
    assertEquals(List.of(Map.of("price", "p1", "quantity", "3"), Map.of("price", "p2")), params.get("line_items"));
    assertEquals(List.of("a", "b"), params.get("lookup_keys"));
    assertEquals(List.of("data.product"), params.get("expand"));
    assertEquals("a@b.c", params.get("email"));
    assertEquals("Jo Doe", params.get("name"));
  }

  @Test
  void emptyInputIsNoParameters() {
    assertEquals(Map.of(), FormParams.parse(null));
    assertEquals(Map.of(), FormParams.parse(""));
  }
}
