// Opening a session for a person: the Session object is created, then listed in the D1 index.
import type { SessionView } from "../../protocol/api.ts";
import { newId } from "../../protocol/ids.ts";
import type { InitInput } from "../../durable-objects/session/room.ts";
import type { Deps } from "../deps.ts";
import { orThrow } from "../http.ts";
import { personOf, type User } from "../users/users.ts";
import { indexSession } from "./directory.ts";

export async function openSession(
  deps: Pick<Deps, "db" | "now" | "session">,
  user: User,
  input: Omit<InitInput, "id" | "owner" | "link">,
): Promise<SessionView> {
  const id = newId("ses", deps.now());
  const owner = personOf(user);
  const view = orThrow(await deps.session(id).init({ ...input, id, owner }));
  await indexSession(deps.db, {
    id,
    repo: input.repo,
    title: input.title,
    createdBy: owner.userId,
    createdAt: view.createdAt,
    status: view.queue.running ? "running" : view.queue.queued.length > 0 ? "queued" : "idle",
  });
  return view;
}
