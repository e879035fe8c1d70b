// How a Session object reaches the others it is linked with: the port, and who is asking.
import type { Result } from "../../protocol/errors.ts";
import type { Person } from "../../protocol/events.ts";
import type { ChildLink } from "../../protocol/team-link.ts";
import type { LinkStatus, Mail, MailDelivery } from "../../protocol/team.ts";

/** Who is asking another Session object: its id and its parent's. */
export interface Asker {
  sessionId: string;
  parentId: string | null;
}

/** Other Session objects, as this one reaches them (RPC in production, direct calls in tests). */
export interface LinkedSessions {
  create(child: {
    id: string;
    repo: string;
    title: string;
    owner: Person;
    prompt: string;
    link: ChildLink;
  }): Promise<Result<unknown>>;
  status(sessionId: string, asker: Asker): Promise<Result<LinkStatus>>;
  deliver(sessionId: string, mail: MailDelivery, asker: Asker): Promise<Result<unknown>>;
  shutDown(sessionId: string, asker: Asker): Promise<Result<LinkStatus>>;
  childChanged(parentId: string, status: LinkStatus): Promise<void>;
  children(sessionId: string, asker: Asker): Promise<Result<LinkStatus[]>>;
  inbox(sessionId: string, asker: Asker): Promise<Result<Mail[]>>;
  /** Whether the person may open sessions on the repository. */
  canUse(userId: string, repo: string): Promise<Result<unknown>>;
}
