package io.tradestore.cli;

import io.tradestore.Addresses;
import io.tradestore.support.EngineFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tradestore.support.Trading.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tradestore import --to} into a running engine: rows in, bad rows out with their line and reason. */
class ImportCommandTest extends EngineFixture {
  private String out;
  private String errors;

  private int importFiles(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "import";
    all[1] = "--to";
    all[2] = "127.0.0.1:" + running.config.bridge().port();
    System.arraycopy(args, 0, all, 3, args.length);
    StringWriter outText = new StringWriter();
    StringWriter errText = new StringWriter();
    picocli.CommandLine line = Main.commandLine(all);
    line.setOut(new PrintWriter(outText, true));
    line.setErr(new PrintWriter(errText, true));
    int exit = line.execute(all);
    out = outText.toString();
    errors = errText.toString();
    return exit;
  }

  @Test
  void badRowsAreWrittenWithTheirLineAndReasonTheOthersImportedAndARerunOnlyFindsDuplicates() throws Exception {
    String good = id("imp");
    String other = id("imp");
    Path orders = Files.writeString(dir.resolve(id("orders") + ".csv"), String.join("\n",
        "orderId,account,symbol,side,type,quantity,price",
        good + ",imp-desk,IMPUSDT,BUY,LIMIT,2,100",
        id("bad") + ",imp-desk,IMPUSDT,BUY,LIMIT,-1,100",
        other + ",imp-desk,IMPUSDT,SELL,LIMIT,1,101", ""));
    Path fills = Files.writeString(dir.resolve(id("fills") + ".jsonl"), String.join("\n",
        new JsonObject().put("fillId", id("f")).put("orderId", good).put("price", "100").put("quantity", "0.5").encode(),
        new JsonObject().put("fillId", id("f")).put("orderId", id("nobody")).put("price", "1").put("quantity", "1")
            .encode(),
        "{not json",
        "", ""));

    assertEquals(1, importFiles(orders.toString(), fills.toString()), errors);
    assertTrue(out.contains("3 rows: 2 imported, 0 duplicates, 1 rejected"), out);
    assertTrue(out.contains("3 rows: 1 imported, 0 duplicates, 2 rejected"), out);
    List<JsonObject> orderRejects = rejects(orders);
    assertEquals(1, orderRejects.size());
    assertEquals(3, orderRejects.get(0).getInteger("line"));
    assertEquals(400, orderRejects.get(0).getInteger("code"));
    assertEquals("quantity", orderRejects.get(0).getString("field"));
    List<JsonObject> fillRejects = rejects(fills);
    assertEquals(List.of(2, 3), fillRejects.stream().map(r -> r.getInteger("line")).sorted().toList());
    assertEquals("0.5", bus.ok(Addresses.ORDERS_GET, new JsonObject().put("orderId", good)).getString("filledQuantity"));

    assertEquals(1, importFiles(orders.toString(), fills.toString()), errors);
    assertTrue(out.contains("3 rows: 0 imported, 2 duplicates, 1 rejected"), out);
    assertTrue(out.contains("3 rows: 0 imported, 1 duplicates, 2 rejected"), out);
    assertEquals("0.5", bus.ok(Addresses.ORDERS_GET, new JsonObject().put("orderId", good)).getString("filledQuantity"));
  }

  @Test
  void strictStopsAtTheFirstRejectedRowAndACleanFileExitsZero() throws Exception {
    String before = id("strict");
    String after = id("strict");
    Path orders = Files.writeString(dir.resolve(id("strict") + ".csv"), String.join("\n",
        "orderId,symbol,side,type,quantity,price",
        before + ",IMPUSDT,BUY,LIMIT,1,100",
        id("bad") + ",IMPUSDT,SIDEWAYS,LIMIT,1,100",
        after + ",IMPUSDT,BUY,LIMIT,1,100", ""));
    assertEquals(1, importFiles("--strict", "--window", "1", orders.toString()), errors);
    assertTrue(out.contains("stopped at the first rejected row"), out);
    assertEquals("NEW", bus.ok(Addresses.ORDERS_GET, new JsonObject().put("orderId", before)).getString("status"));
    bus.refused(Addresses.ORDERS_GET, new JsonObject().put("orderId", after), 404);

    Path clean = Files.writeString(dir.resolve(id("clean") + ".csv"), "orderId,symbol,side,type,quantity,price\n"
        + after + ",IMPUSDT,BUY,LIMIT,1,100\n");
    assertEquals(0, importFiles(clean.toString()), errors);
    assertFalse(Files.exists(clean.resolveSibling(clean.getFileName() + ".rejects.jsonl")));
  }

  @Test
  void aFileOfNeitherOrdersNorFillsIsRefusedNamingItsColumns() throws Exception {
    Path balances = Files.writeString(dir.resolve(id("balances") + ".csv"), "account,asset,available\na,USDT,1\n");
    assertEquals(1, importFiles(balances.toString()));
    assertTrue(errors.contains("has neither the columns of fills"), errors);
  }

  private static List<JsonObject> rejects(Path file) throws Exception {
    return Files.readAllLines(file.resolveSibling(file.getFileName() + ".rejects.jsonl")).stream()
        .map(JsonObject::new).toList();
  }
}
