// The people, sessions and repository the fuzz properties aim at, created once per test file.
import { createSession, holdingTurn, signUp, type TestPerson } from "../integration/helpers.ts";
import type { FuzzWorld } from "./routes.ts";

/** A fuzz world plus the people who call into it. */
export interface World extends FuzzWorld {
  owner: TestPerson;
  stranger: TestPerson;
}

/** Creates two people, an idle session, a session whose turn never ends, and a registered repository. */
export async function createWorld(): Promise<World> {
  const owner = await signUp();
  const stranger = await signUp();
  const idleSession = await createSession(owner);
  const heldSession = await createSession(owner);
  const held = await owner.api(`/api/sessions/${heldSession}/prompts`, {
    body: { clientId: "hold", text: await holdingTurn() },
  });
  if (held.status !== 201) throw new Error(`holding prompt refused: ${held.status}`);
  const repo = `fuzz-${owner.user.login.replace(/[^a-z0-9-]/g, "").slice(-20)}/widgets`;
  const registered = await owner.api("/api/repositories", {
    body: { repo, cloneUrl: "file:///nonexistent", warmPoolSize: 0 },
  });
  if (registered.status !== 201) throw new Error(`register refused: ${registered.status}`);
  return { owner, stranger, idleSession, heldSession, repo, ownerId: owner.user.id };
}

/** Ends the turn that never ends, so nothing keeps running after the file. */
export async function endWorld(world: World): Promise<void> {
  await world.owner.api(`/api/sessions/${world.heldSession}/stop`, { method: "POST" });
}
