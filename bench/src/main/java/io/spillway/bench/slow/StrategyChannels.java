package io.spillway.bench.slow;

import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.OverflowStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The strategies one {@code slow-consumers} run measures, each on its own channel {@code slow.<strategy>.<tag>},
 * and the server setting that gives each channel its strategy: {@code --channel-policies
 * 'slow.drop-oldest.*=drop-oldest;slow.block.*=block;...'}. Checks the server's own {@code CONFIG GET
 * channel-policies} against it. Immutable.
 */
final class StrategyChannels {

  /** Every strategy, for {@code --channel-policy all}. */
  static final String ALL = "all";

  private final List<ChannelPolicy> policies;

  private StrategyChannels(List<ChannelPolicy> policies) {
    this.policies = List.copyOf(policies);
  }

  /**
   * Reads {@code --channel-policy} values: {@code STRATEGY[,max-block=DURATION]} each, or {@code all}.
   *
   * @throws IllegalArgumentException naming a value that is not a strategy, or a strategy given twice
   */
  static StrategyChannels parse(List<String> specs) {
    List<ChannelPolicy> out = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.trim();
      if (spec.equals(ALL)) {
        for (OverflowStrategy s : OverflowStrategy.values()) {
          add(out, ChannelPolicy.of(pattern(s), s, ChannelPolicy.DEFAULT_MAX_BLOCK), raw);
        }
        continue;
      }
      String label = spec.split(",", 2)[0].trim();
      ChannelPolicy p;
      try {
        p = ChannelPolicy.parse("slow." + label + ".*=" + spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--channel-policy '" + raw + "': " + e.getMessage(), e);
      }
      add(out, p, raw);
    }
    return new StrategyChannels(out);
  }

  private static void add(List<ChannelPolicy> out, ChannelPolicy p, String raw) {
    if (out.stream().anyMatch(q -> q.strategy() == p.strategy())) {
      throw new IllegalArgumentException("--channel-policy '" + raw + "': strategy "
          + p.strategy().label() + " is given more than once (one channel per strategy)");
    }
    out.add(p);
  }

  private static String pattern(OverflowStrategy s) {
    return "slow." + s.label() + ".*";
  }

  boolean isEmpty() {
    return policies.isEmpty();
  }

  /** The policies to measure, in the order given. */
  List<ChannelPolicy> policies() {
    return policies;
  }

  /** The channel on which {@code policy} is measured in the run tagged {@code tag}. */
  static String channel(ChannelPolicy policy, String tag) {
    return "slow." + policy.strategy().label() + "." + tag;
  }

  /** What the server must be given: {@code 'slow.drop-oldest.*=drop-oldest;...'}, quoted for a shell. */
  String serverFlags() {
    return "--channel-policies '"
        + policies.stream().map(ChannelPolicy::toString).collect(Collectors.joining(";")) + "'";
  }

  /**
   * Checks the value of the server's {@code CONFIG GET channel-policies} ({@code null} when the server does not
   * know the setting): each channel of a run must get its strategy (and for {@code block} its {@code max-block})
   * from the first entry whose pattern matches it, or {@code disconnect} when none does.
   *
   * @return what is wrong, one sentence with the flags to start the server with, or null when all is right
   */
  String mismatch(String serverValue, String tag) {
    if (serverValue == null) {
      return "the server does not know the setting channel-policies (not Spillway, or an old one); start"
          + " Spillway with " + serverFlags();
    }
    List<ChannelPolicy> server = new ArrayList<>();
    for (String entry : serverValue.split(";", -1)) {
      if (!entry.isBlank()) {
        server.add(ChannelPolicy.parse(entry.trim()));
      }
    }
    List<String> wrong = new ArrayList<>();
    for (ChannelPolicy want : policies) {
      String channel = channel(want, tag);
      ChannelPolicy got = server.stream()
          .filter(p -> Glob.matches(p.pattern(), channel))
          .findFirst()
          .orElse(ChannelPolicy.DEFAULT);
      boolean same = got.strategy() == want.strategy()
          && (want.strategy() != OverflowStrategy.BLOCK || got.maxBlock().equals(want.maxBlock()));
      if (!same) {
        wrong.add(channel + " gets " + got.strategy().label()
            + (got.strategy() == OverflowStrategy.BLOCK
                ? ",max-block=" + io.spillway.core.config.DurationParser.format(got.maxBlock())
                : "")
            + " (from " + got + "), not "
            + want.toString().substring(want.pattern().length() + 1));
      }
    }
    return wrong.isEmpty()
        ? null
        : "the server's channel-policies ('" + serverValue
            + "') do not give the bench's channels their" + " strategies: "
            + String.join("; ", wrong) + ". Start Spillway with " + serverFlags();
  }

  /** Redis glob rules ({@code *}, {@code ?}, {@code [abc]}, {@code [a-z]}, {@code [^a]}, {@code \}). Stateless. */
  static final class Glob {

    private Glob() {}

    static boolean matches(String pattern, String text) {
      return match(pattern, 0, text, 0);
    }

    private static boolean match(String p, int pi, String t, int ti) {
      while (pi < p.length()) {
        char c = p.charAt(pi);
        if (c == '*') {
          for (int k = ti; k <= t.length(); k++) {
            if (match(p, pi + 1, t, k)) {
              return true;
            }
          }
          return false;
        }
        if (ti >= t.length()) {
          return false;
        }
        if (c == '?') {
          pi++;
          ti++;
        } else if (c == '[') {
          int close = p.indexOf(']', pi + 2);
          if (close < 0) {
            return false;
          }
          if (!inClass(p.substring(pi + 1, close), t.charAt(ti))) {
            return false;
          }
          pi = close + 1;
          ti++;
        } else {
          if (c == '\\' && pi + 1 < p.length()) {
            pi++;
            c = p.charAt(pi);
          }
          if (c != t.charAt(ti)) {
            return false;
          }
          pi++;
          ti++;
        }
      }
      return ti == t.length();
    }

    private static boolean inClass(String cls, char ch) {
      boolean negate = cls.startsWith("^");
      String body = negate ? cls.substring(1) : cls;
      boolean hit = false;
      for (int i = 0; i < body.length(); i++) {
        if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
          char lo = (char) Math.min(body.charAt(i), body.charAt(i + 2));
          char hi = (char) Math.max(body.charAt(i), body.charAt(i + 2));
          hit |= ch >= lo && ch <= hi;
          i += 2;
        } else {
          hit |= body.charAt(i) == ch;
        }
      }
      return hit != negate;
    }
  }
}
