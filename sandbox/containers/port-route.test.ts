import { describe, expect, it } from "vitest";
import type { ContainerNamespace } from "./container-calls.ts";
import { forwardSandboxPort } from "./port-route.ts";

const SANDBOX = "sbx_01m7z81pfwsjsv47gtzvrerqb3";

/** Objects that answer with what reached them. */
function echoNamespace(): ContainerNamespace & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    get: (name) => ({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(name);
        return Response.json({
          url: request.url,
          method: request.method,
          authorization: request.headers.get("authorization"),
          body: await request.text(),
        });
      },
    }),
  };
}

describe("the sandbox port route", () => {
  const token = "prt_0123456789abcdef0123456789abcdef";

  it("passes requests to the sandbox's port without the token", async () => {
    const containers = echoNamespace();
    const response = await forwardSandboxPort(
      new Request(`https://tandem.test/api/sandbox-ports/${SANDBOX}/3000/a/b?q=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "hi",
      }),
      { token, containers },
    );
    expect(await response!.json()).toEqual({
      url: `http://container/v1/sandboxes/${SANDBOX}/ports/3000/a/b?q=1`,
      method: "POST",
      authorization: null,
      body: "hi",
    });
    expect(containers.seen).toEqual([SANDBOX]);
  });

  it("refuses a missing or wrong token, and refuses everything without a configured one", async () => {
    const url = `https://tandem.test/api/sandbox-ports/${SANDBOX}/3000/`;
    const containers = echoNamespace();
    for (const [configured, header] of [
      [token, null],
      [token, "Bearer wrong"],
      [undefined, `Bearer ${token}`],
    ] as const) {
      const response = await forwardSandboxPort(
        new Request(url, header ? { headers: { authorization: header } } : {}),
        { token: configured, containers },
      );
      expect(response!.status).toBe(401);
    }
    expect(containers.seen).toEqual([]);
  });

  it("reaches only sandbox objects, and leaves other paths alone", async () => {
    const containers = echoNamespace();
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const other = await forwardSandboxPort(
      new Request("https://tandem.test/api/sandbox-ports/git-abc/3000/", auth),
      { token, containers },
    );
    expect(other!.status).toBe(404);
    expect(
      await forwardSandboxPort(new Request("https://tandem.test/api/health"), {
        token,
        containers,
      }),
    ).toBeNull();
    expect(containers.seen).toEqual([]);
  });
});
