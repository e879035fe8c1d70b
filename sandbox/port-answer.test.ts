import { describe, expect, it } from "vitest";
import { portAnswer } from "./port-answer.ts";
import { SandboxError } from "./provider.ts";

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

async function failureOf(response: Response) {
  return portAnswer(response).then(
    () => null,
    (error: unknown) => error as SandboxError,
  );
}

describe("portAnswer", () => {
  it("reads the provider's own failures as errors with their codes", async () => {
    const unreachable = await failureOf(
      json(502, { error: { code: "port_unreachable", message: "nothing listens" } }),
    );
    expect(unreachable).toBeInstanceOf(SandboxError);
    expect(unreachable).toMatchObject({ code: "port_unreachable", message: "nothing listens" });
    const missing = await failureOf(json(404, { error: { code: "not_found", message: "gone" } }));
    expect(missing).toMatchObject({ code: "not_found" });
  });

  it("passes the server's answers through, errors included, with their bodies intact", async () => {
    const ok = await portAnswer(new Response("<h1>hi</h1>", { status: 200 }));
    expect(await ok.text()).toBe("<h1>hi</h1>");
    const html404 = await portAnswer(new Response("not here", { status: 404 }));
    expect([html404.status, await html404.text()]).toEqual([404, "not here"]);
    // A 502 the server sent itself, in JSON of another shape.
    const own502 = await portAnswer(json(502, { message: "upstream down" }));
    expect([own502.status, await own502.json()]).toEqual([502, { message: "upstream down" }]);
    // The right shape with a code the provider never answers that status with.
    const other = await portAnswer(json(404, { error: { code: "internal", message: "x" } }));
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/json");
  });

  it("keeps a long JSON error body whole and streamed, without reading it as the provider's", async () => {
    const long = JSON.stringify({ error: { code: "not_found", message: "x".repeat(20_000) } });
    const chunks = [long.slice(0, 5_000), long.slice(5_000, 12_000), long.slice(12_000)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const answer = await portAnswer(
      new Response(body, { status: 404, headers: { "content-type": "application/json" } }),
    );
    expect(await answer.text()).toBe(long);
  });
});
