import { describe, expect, it } from "vitest";
import { previewDomainFrom } from "../../protocol/previews.ts";
import {
  cookieValue,
  forwardedRequest,
  isNavigation,
  originAllowed,
  safePath,
  withoutOurCookies,
  withoutOurSetCookies,
} from "./preview-request.ts";

const domain = previewDomainFrom("http://*.localhost:8787")!;
const SESSION = "ses_01m7z02xjszk708d7v7bqpwad3";
const HOST = "ses-01m7z02xjszk708d7v7bqpwad3--3000.localhost:8787";

describe("preview requests", () => {
  it("reads one cookie and keeps every cookie but Tandem's", () => {
    const header = "a=1; tandem_preview=pvc.x.y; tandem_session=aus_1.sig; b=2=3";
    expect(cookieValue(header, "tandem_preview")).toBe("pvc.x.y");
    expect(cookieValue(header, "missing")).toBeNull();
    expect(withoutOurCookies(header)).toBe("a=1; b=2=3");
    expect(withoutOurCookies("__Host-tandem_preview=v")).toBeNull();
  });

  it("forwards method, path, query and body, without Authorization or Tandem's cookies", async () => {
    const original = new Request(`http://${HOST}/api/items?x=1`, {
      method: "POST",
      headers: {
        authorization: "Bearer tdm_secret",
        cookie: "tandem_preview=pvc.a.b; app=kept",
        "content-type": "text/plain",
      },
      body: "the body",
    });
    const forwarded = forwardedRequest(original);
    expect(forwarded.method).toBe("POST");
    expect(forwarded.url).toBe(`http://${HOST}/api/items?x=1`);
    expect(forwarded.headers.get("authorization")).toBeNull();
    expect(forwarded.headers.get("cookie")).toBe("app=kept");
    expect(forwarded.headers.get("x-forwarded-host")).toBe(HOST);
    expect(forwarded.headers.get("x-forwarded-proto")).toBe("http");
    expect(await forwarded.text()).toBe("the body");
  });

  it("drops a server's Set-Cookie for Tandem's cookies and keeps its own", () => {
    const headers = new Headers();
    headers.append("set-cookie", "tandem_preview=evil; Path=/");
    headers.append("set-cookie", "app=1; Path=/");
    const answer = withoutOurSetCookies(new Response("x", { headers }));
    expect(answer.headers.getSetCookie()).toEqual(["app=1; Path=/"]);
    const untouched = new Response("y", { headers: { "set-cookie": "other=2" } });
    expect(withoutOurSetCookies(untouched)).toBe(untouched);
  });

  it("returns only to paths of the same origin", () => {
    expect(safePath("/app/page?x=1#top")).toBe("/app/page?x=1#top");
    for (const bad of [
      null,
      "",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "/a\nb",
    ])
      expect(safePath(bad)).toBe("/");
  });

  it("tells page navigations from other requests", () => {
    const nav = new Request(`http://${HOST}/`, { headers: { "sec-fetch-mode": "navigate" } });
    const fetchCall = new Request(`http://${HOST}/`, {
      headers: { "sec-fetch-mode": "cors", accept: "text/html" },
    });
    const plain = new Request(`http://${HOST}/`, { headers: { accept: "text/html,*/*" } });
    expect([isNavigation(nav), isNavigation(fetchCall), isNavigation(plain)]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it("accepts changes and sockets from the session's own previews only", () => {
    const from = (origin: string | null, init: RequestInit = { method: "POST" }) =>
      originAllowed(
        new Request(`http://${HOST}/`, {
          ...init,
          headers: { ...(origin ? { origin } : {}), ...(init.headers as object) },
        }),
        domain,
        SESSION,
      );
    expect(from(`http://${HOST}`)).toBe(true);
    expect(from("http://ses-01m7z02xjszk708d7v7bqpwad3--5173.localhost:8787")).toBe(true);
    expect(from(null)).toBe(true);
    expect(from("http://ses-01m7z02xjszk708d7v7bqpwad4--3000.localhost:8787")).toBe(false);
    expect(from("http://127.0.0.1:8787")).toBe(false);
    expect(from("null")).toBe(false);
    expect(from("http://evil.example", { method: "GET", headers: { upgrade: "websocket" } })).toBe(
      false,
    );
    expect(from("http://evil.example", { method: "GET" })).toBe(true);
  });
});
