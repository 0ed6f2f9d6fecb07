package io.tradestore.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/),
 * for tests: it throws on anything Prometheus would reject or that breaks the format's rules, then answers queries.
 *
 * <p>Checked: line grammar (HELP, TYPE, comments, samples), metric and label names, label value escapes, float
 * values, one TYPE per family given before its samples, no duplicate series, samples of a family not split by
 * another family, the suffixes a type allows (histogram: _bucket with le, _sum, _count), cumulative histogram
 * buckets ending in +Inf equal to _count, counters never negative.
 */
final class PrometheusText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  record Sample(String name, Map<String, String> labels, double value) {
    String series() {
      return name + labels;
    }
  }

  final Map<String, String> types = new LinkedHashMap<>();
  final Map<String, String> help = new HashMap<>();
  final List<Sample> samples = new ArrayList<>();

  private PrometheusText() { }

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    parsed.read(text);
    parsed.checkHistograms();
    return parsed;
  }

  private void read(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a line feed");
    }
    Map<String, Boolean> seriesSeen = new HashMap<>();
    Set<String> closedFamilies = new java.util.HashSet<>();
    String currentFamily = null;
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + lineNo + ": " + line;
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String name = parts[2];
          require(METRIC_NAME.matcher(name).matches(), "bad metric name", where);
          if (parts[1].equals("TYPE")) {
            require(parts.length == 4 && TYPES.contains(parts[3]), "bad TYPE", where);
            require(!types.containsKey(name), "second TYPE for " + name, where);
            require(samples.stream().noneMatch(s -> familyOf(s.name()).equals(name)), "TYPE after samples", where);
            types.put(name, parts[3]);
          } else {
            require(!help.containsKey(name), "second HELP for " + name, where);
            help.put(name, parts.length == 4 ? parts[3] : "");
          }
        }
        continue; // any other comment is allowed
      }
      Sample sample = sample(line, where);
      String family = familyOf(sample.name());
      if (!family.equals(currentFamily)) {
        require(!closedFamilies.contains(family), "samples of " + family + " are not contiguous", where);
        if (currentFamily != null) {
          closedFamilies.add(currentFamily);
        }
        currentFamily = family;
      }
      require(seriesSeen.put(sample.series(), true) == null, "duplicate series", where);
      String type = types.getOrDefault(family, "untyped");
      String suffix = sample.name().substring(family.length());
      switch (type) {
        case "histogram" -> {
          require(Set.of("_bucket", "_sum", "_count").contains(suffix), "histogram sample suffix", where);
          require(suffix.equals("_bucket") == sample.labels().containsKey("le"), "le only on _bucket", where);
        }
        case "summary" -> require(Set.of("", "_sum", "_count").contains(suffix), "summary sample suffix", where);
        case "counter" -> require(sample.value() >= 0 || Double.isNaN(sample.value()), "negative counter", where);
        default -> { }
      }
      samples.add(sample);
    }
  }

  /** The TYPEd family a sample belongs to: its own name, or its name without a histogram/summary suffix. */
  private String familyOf(String sampleName) {
    if (types.containsKey(sampleName)) {
      return sampleName;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (sampleName.endsWith(suffix)) {
        String base = sampleName.substring(0, sampleName.length() - suffix.length());
        String type = types.get(base);
        if ("histogram".equals(type) || "summary".equals(type)) {
          return base;
        }
      }
    }
    return sampleName;
  }

  private static Sample sample(String line, String where) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    require(METRIC_NAME.matcher(name).matches(), "bad metric name", where);
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        require(eq > i, "label without =", where);
        String label = line.substring(i, eq);
        require(LABEL_NAME.matcher(label).matches() && !label.startsWith("__"), "bad label name " + label, where);
        require(line.charAt(eq + 1) == '"', "label value must be quoted", where);
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; ; j++) {
          require(j < line.length(), "unterminated label value", where);
          char c = line.charAt(j);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            char next = line.charAt(++j);
            require(next == '\\' || next == '"' || next == 'n', "bad escape", where);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        require(labels.put(label, value.toString()) == null, "label " + label + " twice", where);
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        } else {
          require(line.charAt(i) == '}', "expected , or }", where);
        }
      }
      i++;
    }
    require(i < line.length() && line.charAt(i) == ' ', "expected a space before the value", where);
    String[] rest = line.substring(i + 1).split(" ");
    require(rest.length == 1 || rest.length == 2, "expected a value and an optional timestamp", where);
    double value = number(rest[0], where);
    if (rest.length == 2) {
      try {
        Long.parseLong(rest[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad timestamp: " + where);
      }
    }
    return new Sample(name, labels, value);
  }

  private static double number(String text, String where) {
    switch (text) {
      case "+Inf", "Inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "NaN" -> {
        return Double.NaN;
      }
      default -> {
        require(text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), "bad value " + text, where);
        return Double.parseDouble(text);
      }
    }
  }

  /** Buckets cumulative, +Inf present and equal to _count, for every histogram series. */
  private void checkHistograms() {
    types.forEach((family, type) -> {
      if (!type.equals("histogram")) {
        return;
      }
      Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
      Map<Map<String, String>, Double> counts = new HashMap<>();
      for (Sample s : samples) {
        if (s.name().equals(family + "_bucket")) {
          Map<String, String> rest = new TreeMap<>(s.labels());
          double le = number(rest.remove("le"), family);
          buckets.computeIfAbsent(rest, k -> new TreeMap<>()).put(le, s.value());
        } else if (s.name().equals(family + "_count")) {
          counts.put(s.labels(), s.value());
        }
      }
      require(!counts.isEmpty() && buckets.keySet().equals(counts.keySet()), "buckets and counts differ", family);
      buckets.forEach((labels, byLe) -> {
        require(byLe.lastKey() == Double.POSITIVE_INFINITY, "no +Inf bucket", family + labels);
        require(byLe.lastEntry().getValue().equals(counts.get(labels)), "+Inf bucket != _count", family + labels);
        double previous = 0;
        for (double v : byLe.values()) {
          require(v >= previous, "buckets not cumulative", family + labels);
          previous = v;
        }
      });
    });
  }

  private static void require(boolean ok, String what, String where) {
    if (!ok) {
      throw new IllegalArgumentException(what + " (" + where + ")");
    }
  }

  /** The value of the one sample named {@code name} whose labels include {@code labels}; fails if none or several. */
  double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + List.of(labels) + ": " + found);
    }
    return found.get(0).value();
  }

  List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    outer:
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      for (int k = 0; k < labels.length; k += 2) {
        if (!labels[k + 1].equals(s.labels().get(labels[k]))) {
          continue outer;
        }
      }
      out.add(s);
    }
    return out;
  }
}
