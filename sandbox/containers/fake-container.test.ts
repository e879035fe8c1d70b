// The fake container behaves like the platform's in the ways the gate relies on.
import { describe, expect, it } from "vitest";
import { FakeContainer, fakeContainersUnavailable, type FakeImage } from "./fake-container.ts";

const unavailable = fakeContainersUnavailable();

/** A server that starts listening after a moment and can be told to exit with a status. */
const SERVER = `
const http = require("node:http");
setTimeout(() => {
  http.createServer((req, res) => {
    const code = /^\\/exit\\/(\\d+)$/.exec(req.url ?? "");
    if (code) { res.end("bye"); setTimeout(() => process.exit(Number(code[1])), 20); return; }
    res.end(JSON.stringify({ path: req.url, greeting: process.env.GREETING ?? null,
      net: require("node:os").networkInterfaces() }));
  }).listen(8080, "0.0.0.0");
}, 300);
`;

const image: FakeImage = {
  entrypoint: [process.execPath, "-e", SERVER],
  env: { GREETING: "from the image" },
  readOnly: [],
  sandboxUid: 64_100,
};

describe.skipIf(unavailable !== null)(
  `the fake container${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    it("starts asynchronously and refuses connections until the server listens", async () => {
      const container = new FakeContainer({ image });
      expect(container.running).toBe(false);
      container.start({ env: { GREETING: "from start" } });
      expect(container.running).toBe(true);
      const port = container.getTcpPort(8080);
      await expect(port.fetch("http://container/early")).rejects.toThrow(/refused/);
      let answer: Response | null = null;
      for (let i = 0; i < 100 && !answer; i++) {
        answer = await port.fetch("http://container/late?x=1").catch(() => null);
        if (!answer) await new Promise((r) => setTimeout(r, 50));
      }
      const body = (await answer!.json()) as { path: string; greeting: string; net: object };
      expect(body.path).toBe("/late?x=1");
      expect(body.greeting).toBe("from start");
      // Its own network: loopback only.
      expect(Object.keys(body.net)).toEqual(["lo"]);
      await expect(container.getTcpPort(9999).fetch("http://container/")).rejects.toThrow(
        /refused/,
      );
      await container.destroy();
      expect(container.running).toBe(false);
      await expect(port.fetch("http://container/")).rejects.toThrow(/not running/);
    });

    it("settles monitor() when the container exits: resolved on 0, rejected otherwise", async () => {
      const container = new FakeContainer({ image });
      const ready = async () => {
        for (let i = 0; i < 100; i++) {
          const ok = await container
            .getTcpPort(8080)
            .fetch("http://container/")
            .then(() => true)
            .catch(() => false);
          if (ok) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      container.start();
      await ready();
      const clean = container.monitor();
      await container.getTcpPort(8080).fetch("http://container/exit/0");
      await expect(clean).resolves.toBeUndefined();
      expect(container.running).toBe(false);

      container.start();
      await ready();
      const failed = container.monitor();
      await container.getTcpPort(8080).fetch("http://container/exit/3");
      await expect(failed).rejects.toThrow(/exit code: 3/);
      expect(() => container.start()).not.toThrow();
      expect(() => container.start()).toThrow(/running/);
      await container.destroy();
    });
  },
);
