import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MESSAGE_SHORTCUTS } from "../src/slack/ids.js";
import { SLASH_COMMAND } from "../src/slack/listeners/slash-command.js";

const root = new URL("../", import.meta.url).pathname;
const manifest = parse(readFileSync(join(root, "manifest.yml"), "utf8"));

/** The bot scopes each Web API method opsfeed may call needs (Slack's method reference). */
const SCOPES_OF_METHOD: Record<string, string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.getPermalink": [],
  "conversations.open": ["im:write"],
  // opsfeed reads the history of channels it posts in and of the DMs it sends (to confirm a post).
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  // Threads are read in channels (comments, reactions on replies) and in DMs (reactions).
  "conversations.replies": ["channels:history", "groups:history", "im:history"],
  "conversations.info": ["channels:read", "groups:read", "im:read", "mpim:read"],
  "conversations.members": ["channels:read", "groups:read", "im:read", "mpim:read"],
  "users.info": ["users:read"],
  "views.open": [],
  "views.update": [],
  "views.push": [],
  "views.publish": [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const source = sourceFiles(join(root, "src"))
  .map((file) => readFileSync(file, "utf8"))
  .join("\n");

/** Web API methods called as `<client>.<family>.<method>(` anywhere in src/. */
function methodsCalled(): string[] {
  const pattern = /\.(auth|chat|conversations|users|views|reactions)\.(\w+)\(/g;
  return [...new Set([...source.matchAll(pattern)].map((m) => `${m[1]}.${m[2]}`))].sort();
}

describe("manifest.yml", () => {
  it("declares the slash command the code answers, with a description and usage hint", () => {
    const commands = manifest.features.slash_commands;
    expect(commands).toHaveLength(1);
    expect(commands[0].command).toBe(SLASH_COMMAND);
    expect(commands[0].description).toBeTruthy();
    expect(commands[0].usage_hint).toBeTruthy();
    // Slack must escape mentions and links, which the command parser relies on.
    expect(commands[0].should_escape).toBe(true);
  });

  it("grants every scope the Web API methods in src/ need", () => {
    const granted = new Set<string>(manifest.oauth_config.scopes.bot);
    const called = methodsCalled();
    expect(called.length).toBeGreaterThan(0);
    for (const method of called) {
      const needed = SCOPES_OF_METHOD[method];
      expect(needed, `add ${method} to SCOPES_OF_METHOD`).toBeDefined();
      for (const scope of needed ?? [])
        expect(granted, `${method} needs ${scope}`).toContain(scope);
    }
  });

  it("grants the scopes the whole contract needs and nothing it does not", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "channels:read",
        "groups:read",
        "channels:history",
        "groups:history",
        "im:history",
        "im:read",
        "mpim:read",
        // reaction_added / reaction_removed
        "reactions:read",
      ].sort(),
    );
  });

  it("declares the message shortcuts the code answers, and no other", () => {
    const shortcuts = manifest.features.shortcuts as Array<{
      name: string;
      type: string;
      callback_id: string;
      description: string;
    }>;
    expect(shortcuts.map((shortcut) => shortcut.callback_id).sort()).toEqual(
      Object.values(MESSAGE_SHORTCUTS).sort(),
    );
    // Each one has a listener: `app.shortcut({ type: "message_action", callback_id: … })`.
    for (const key of Object.keys(MESSAGE_SHORTCUTS)) {
      expect(source).toContain(`callback_id: MESSAGE_SHORTCUTS.${key}`);
    }
    for (const shortcut of shortcuts) {
      expect(shortcut.type).toBe("message");
      // Slack's limits: a name of up to 24 characters, a description of up to 80.
      expect(shortcut.name.length).toBeGreaterThan(0);
      expect(shortcut.name.length).toBeLessThanOrEqual(24);
      expect(shortcut.description.length).toBeLessThanOrEqual(80);
    }
  });

  it("listens to every event it subscribes to", () => {
    const events = new Set([...source.matchAll(/app\.event\("([\w.]+)"/g)].map((m) => m[1]));
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(events, `${event} is subscribed to but nothing listens`).toContain(event);
    }
  });

  it("subscribes to every event the code listens to", () => {
    const events = [...source.matchAll(/app\.event\("([\w.]+)"/g)].map((m) => m[1]);
    for (const event of events)
      expect(manifest.settings.event_subscriptions.bot_events).toContain(event);
  });

  it("has interactivity, App Home and Socket Mode on", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBe("opsfeed");
  });
});
