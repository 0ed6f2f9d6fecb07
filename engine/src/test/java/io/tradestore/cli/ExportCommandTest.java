package io.tradestore.cli;

import io.tradestore.Addresses;
import io.tradestore.support.EngineFixture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tradestore.support.Trading.id;
import static io.tradestore.support.Trading.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tradestore export} against a running engine's database: a whole file, or a refusal that writes nothing. */
class ExportCommandTest extends EngineFixture {
  private String errors;

  private int export(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--db";
    all[1] = running.config.database().path().toString();
    System.arraycopy(args, 0, all, 2, args.length);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    picocli.CommandLine line = Main.commandLine(all);
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(all);
    errors = err.toString();
    return exit;
  }

  @Test
  void aLiveDatabasesOrdersAreWrittenToANewFile() throws Exception {
    String orderId = id("o");
    bus.ok(Addresses.ORDERS_PLACE, limit(orderId, "cli-desk", "BTCUSDT", "BUY", "1.50", "2"));
    Path out = dir.resolve(id("orders") + ".csv");
    assertEquals(0, export("export", "orders", "--account", "cli-desk", "--out", out.toString()));
    String text = Files.readString(out);
    assertTrue(text.startsWith("orderId,externalOrderId,account,symbol,side,type,quantity,price,"), text);
    assertTrue(text.contains(orderId + ",,cli-desk,BTCUSDT,BUY,LIMIT,1.5,2,"), text);
    assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".partial")));
  }

  @Test
  void anUnknownTableOrFormatOrAnExistingFileIsRefusedWithItsReasonAndNothingWritten() throws Exception {
    assertEquals(1, export("export", "trades"));
    assertTrue(errors.contains("nothing to export called 'trades'"), errors);
    assertEquals(1, export("export", "fills", "--format", "xml"));
    assertTrue(errors.contains("--format must be csv or jsonl"), errors);
    Path existing = Files.writeString(dir.resolve(id("kept") + ".csv"), "mine");
    assertEquals(1, export("export", "fills", "--out", existing.toString()));
    assertEquals("mine", Files.readString(existing));
    assertEquals(1, export("export", "fills", "--from", "yesterday"));
    assertTrue(errors.contains("--from must be ISO-8601"), errors);
  }
}
