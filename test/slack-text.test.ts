import { describe, expect, it } from "vitest";
import { slackTextToPlain } from "../src/commands/slack-text.js";

describe("slackTextToPlain", () => {
  it.each([
    ["plain words stay", "Redis の話、読んで", "Redis の話、読んで"],
    ["escaped characters are unescaped", "a &lt;b&gt; &amp; c", "a <b> & c"],
    ["user mentions become @name", "cc <@U123|bob> and <@W9>", "cc @bob and @W9"],
    [
      "special mentions lose their power",
      "<!channel> <!here|here> <!everyone>",
      "@channel @here @everyone",
    ],
    ["group mentions become their label", "<!subteam^S1|@sre> please", "@sre please"],
    ["channels become #name", "see <#C1|ops>", "see #ops"],
    [
      "links become label and URL",
      "<https://a.example/x?b=1&amp;c=2|the post>",
      "the post (https://a.example/x?b=1&c=2)",
    ],
    ["bare links stay URLs", "<https://a.example/>", "https://a.example/"],
  ])("%s", (_name, input, expected) => {
    expect(slackTextToPlain(input)).toBe(expected);
  });
});
