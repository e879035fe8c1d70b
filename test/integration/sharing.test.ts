import { describe, expect, it } from "vitest";
import type { SessionView, ShareLink } from "../../protocol/api.ts";
import { createSession, signUp } from "./helpers.ts";

describe("share links", () => {
  it("makes the holder of a link a participant with the link's role", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    const created = await alice.api(`/api/sessions/${id}/share-links`, {
      body: { role: "viewer" },
    });
    expect(created.status).toBe(201);
    const { token, url, link } = (await created.json()) as {
      token: string;
      url: string;
      link: ShareLink;
    };
    expect(url).toBe(`http://tandem.test/join/${id}#${token}`);
    expect(link.role).toBe("viewer");
    const joined = await bob.api(`/api/sessions/${id}/join`, { body: { token } });
    expect(joined.status).toBe(200);
    const { session } = (await joined.json()) as { session: SessionView };
    expect(session.role).toBe("viewer");
    expect(session.participants.map((p) => [p.person.login, p.role])).toEqual([
      [alice.user.login, "owner"],
      [bob.user.login, "viewer"],
    ]);
    const listed = (await (await bob.api("/api/sessions")).json()) as {
      sessions: { id: string; role: string }[];
    };
    expect(listed.sessions).toEqual([expect.objectContaining({ id, role: "viewer" })]);
  });

  it("keeps a viewer from prompting, stopping or sharing", async () => {
    const alice = await signUp();
    const viewer = await signUp();
    const id = await createSession(alice);
    const { token } = (await (
      await alice.api(`/api/sessions/${id}/share-links`, { body: { role: "viewer" } })
    ).json()) as { token: string };
    await viewer.api(`/api/sessions/${id}/join`, { body: { token } });
    const prompt = await viewer.api(`/api/sessions/${id}/prompts`, {
      body: { clientId: "v", text: "let me in" },
    });
    expect(prompt.status).toBe(403);
    expect(await prompt.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await viewer.api(`/api/sessions/${id}/stop`, { body: {} })).status).toBe(403);
    expect(
      (await viewer.api(`/api/sessions/${id}/share-links`, { body: { role: "viewer" } })).status,
    ).toBe(403);
    expect((await viewer.api(`/api/sessions/${id}/share-links`)).status).toBe(403);
    expect((await viewer.api(`/api/sessions/${id}`)).status).toBe(200);
  });

  it("never demotes a participant who opens a weaker link", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const { token } = (await (
      await alice.api(`/api/sessions/${id}/share-links`, { body: { role: "viewer" } })
    ).json()) as { token: string };
    const { session } = (await (
      await alice.api(`/api/sessions/${id}/join`, { body: { token } })
    ).json()) as { session: SessionView };
    expect(session.role).toBe("owner");
  });

  it("upgrades a viewer who opens a collaborator link", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    const link = async (role: string) =>
      (
        (await (await alice.api(`/api/sessions/${id}/share-links`, { body: { role } })).json()) as {
          token: string;
        }
      ).token;
    await bob.api(`/api/sessions/${id}/join`, { body: { token: await link("viewer") } });
    const { session } = (await (
      await bob.api(`/api/sessions/${id}/join`, { body: { token: await link("collaborator") } })
    ).json()) as {
      session: SessionView;
    };
    expect(session.role).toBe("collaborator");
    expect(
      (await bob.api(`/api/sessions/${id}/prompts`, { body: { clientId: "b", text: "now I can" } }))
        .status,
    ).toBe(201);
  });

  it("stops a revoked link from admitting anyone new, keeping those who joined", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const carol = await signUp();
    const id = await createSession(alice);
    const { token, link } = (await (
      await alice.api(`/api/sessions/${id}/share-links`, { body: { role: "collaborator" } })
    ).json()) as {
      token: string;
      link: ShareLink;
    };
    await bob.api(`/api/sessions/${id}/join`, { body: { token } });
    const revoked = await alice.api(`/api/sessions/${id}/share-links/${link.id}`, {
      method: "DELETE",
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { link: ShareLink }).link.revokedAt).not.toBeNull();
    const late = await carol.api(`/api/sessions/${id}/join`, { body: { token } });
    expect(late.status).toBe(410);
    expect(await late.json()).toMatchObject({ error: { code: "link_revoked" } });
    expect((await carol.api(`/api/sessions/${id}`)).status).toBe(404);
    expect((await bob.api(`/api/sessions/${id}`)).status).toBe(200);
    const links = (await (await alice.api(`/api/sessions/${id}/share-links`)).json()) as {
      links: ShareLink[];
    };
    expect(links.links).toEqual([
      expect.objectContaining({ id: link.id, revokedAt: expect.any(Number) }),
    ]);
    expect(JSON.stringify(links)).not.toContain(token);
  });

  it("refuses a made-up link token without revealing the session", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    const response = await mallory.api(`/api/sessions/${id}/join`, {
      body: { token: "tsl_made_up_token_value" },
    });
    expect(response.status).toBe(404);
    expect((await mallory.api(`/api/sessions/${id}`)).status).toBe(404);
  });

  it("lets only the owner create links", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    const { token } = (await (
      await alice.api(`/api/sessions/${id}/share-links`, { body: { role: "collaborator" } })
    ).json()) as { token: string };
    await bob.api(`/api/sessions/${id}/join`, { body: { token } });
    const response = await bob.api(`/api/sessions/${id}/share-links`, {
      body: { role: "collaborator" },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "collaborator",
    );
  });
});
