// Other Session objects over Durable Object RPC: starting a child (and listing it in the D1
// index), asking for status, delivering mail, shutting down.
import { fail, ok, TandemError } from "../../protocol/errors.ts";
import type { Registry } from "../../registry/registry.ts";
import { requireRepositoryAccess } from "../../worker/github/access.ts";
import type { Database } from "../../worker/db/database.ts";
import { indexMember, indexSession } from "../../worker/sessions/directory.ts";
import type { GitHub } from "../../github/github.ts";
import type { Result } from "../../protocol/errors.ts";
import type { SessionView } from "../../protocol/api.ts";
import type { LinkStatus, Mail, MailDelivery } from "../../protocol/team.ts";
import type { InitInput } from "./room.ts";
import type { Asker, LinkedSessions } from "./team-ports.ts";

/** The RPC methods of another Session object that links use. */
export interface SessionRpc {
  init(input: InitInput): Promise<Result<SessionView>>;
  teamStatus(asker: Asker): Promise<Result<LinkStatus>>;
  teamDeliver(mail: MailDelivery, asker: Asker): Promise<Result<{ woke: boolean }>>;
  teamShutDown(asker: Asker): Promise<Result<LinkStatus>>;
  teamChildChanged(status: LinkStatus): Promise<void>;
  teamChildren(asker: Asker): Promise<Result<LinkStatus[]>>;
  teamInbox(asker: Asker): Promise<Result<Mail[]>>;
}

export interface LinkedSessionsDeps {
  session: (sessionId: string) => SessionRpc;
  db: Database;
  registry: Registry;
  github: GitHub | null;
  now: () => number;
}

export function durableLinkedSessions(deps: LinkedSessionsDeps): LinkedSessions {
  return {
    async create(child) {
      const view = await deps.session(child.id).init({
        id: child.id,
        repo: child.repo,
        title: child.title,
        owner: child.owner,
        prompt: { clientId: `spawn:${child.link.parent.sessionId}`, text: child.prompt },
        link: child.link,
      });
      if (!view.ok) return view;
      const at = deps.now();
      await indexSession(deps.db, {
        id: child.id,
        repo: child.repo,
        title: child.title,
        createdBy: child.owner.userId,
        createdAt: view.value.createdAt,
        status: view.value.queue.running ? "running" : "queued",
      });
      for (const { person, role } of child.link.participants) {
        await indexMember(deps.db, child.id, person.userId, role, at);
      }
      return ok(null);
    },
    status: (sessionId, asker) => deps.session(sessionId).teamStatus(asker),
    deliver: (sessionId, mail, asker) => deps.session(sessionId).teamDeliver(mail, asker),
    shutDown: (sessionId, asker) => deps.session(sessionId).teamShutDown(asker),
    childChanged: (parentId, status) => deps.session(parentId).teamChildChanged(status),
    children: (sessionId, asker) => deps.session(sessionId).teamChildren(asker),
    inbox: (sessionId, asker) => deps.session(sessionId).teamInbox(asker),
    async canUse(userId, repo) {
      if (!(await deps.registry.repository(repo))) {
        return fail("not_found", `${repo} is not a repository registered with Tandem.`);
      }
      try {
        await requireRepositoryAccess({ github: deps.github }, userId, repo);
        return ok(null);
      } catch (error) {
        if (error instanceof TandemError) return fail(error.code, error.message);
        throw error;
      }
    },
  };
}
