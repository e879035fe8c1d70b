// Reads and writes of the Session object's SQLite, one method per question the room asks.
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { Participant } from "../../protocol/api.ts";
import type {
  NewEvent,
  Person,
  PromptState,
  QueuedPrompt,
  Role,
  SessionEvent,

} from "../../protocol/events.ts";
import * as schema from "./session.sql.ts";
import { deadlines, events, messages, meta, participants, shareLinks } from "./session.sql.ts";

/** The drizzle handle over this object's storage. */
export type SessionDb = DrizzleSqliteDODatabase<typeof schema>;

/** What the session is, as stored at creation. */
export type SessionMeta = typeof meta.$inferSelect;
/** A share link row. */
export type ShareLinkRow = typeof shareLinks.$inferSelect;
type MessageRow = typeof messages.$inferSelect;
type ParticipantRow = typeof participants.$inferSelect;

const toPerson = (row: ParticipantRow): Person => ({
  userId: row.userId,
  login: row.login,
  name: row.name,
  avatarUrl: row.avatarUrl,
});

/** The Session object's storage, synchronous: a handler that does not await is atomic. */
export class SessionStore {
  constructor(private readonly db: SessionDb) {}

  meta(): SessionMeta | undefined {
    return this.db.select().from(meta).get();
  }

  initialize(row: SessionMeta): void {
    this.db.insert(meta).values(row).run();
  }

  participant(userId: string): Participant | undefined {
    const row = this.db.select().from(participants).where(eq(participants.userId, userId)).get();
    return row && { person: toPerson(row), role: row.role, joinedAt: row.joinedAt, lastSeenAt: row.lastSeenAt };
  }

  participants(): Participant[] {
    return this.db
      .select()
      .from(participants)
      .orderBy(asc(participants.joinedAt))
      .all()
      .map((row) => ({ person: toPerson(row), role: row.role, joinedAt: row.joinedAt, lastSeenAt: row.lastSeenAt }));
  }

  /** Adds a person, or refreshes their profile and sets their role. */
  upsertParticipant(person: Person, role: Role, at: number): void {
    this.db
      .insert(participants)
      .values({ ...person, role, joinedAt: at })
      .onConflictDoUpdate({
        target: participants.userId,
        set: { login: person.login, name: person.name, avatarUrl: person.avatarUrl, role },
      })
      .run();
  }

  touchParticipant(userId: string, at: number): void {
    this.db.update(participants).set({ lastSeenAt: at }).where(eq(participants.userId, userId)).run();
  }

  /** Appends one event and returns it with its sequence number. */
  append(event: NewEvent, at: number): SessionEvent {
    const row = this.db
      .insert(events)
      .values({
        type: event.type,
        at,
        actor: event.actor ? JSON.stringify(event.actor) : null,
        data: JSON.stringify(event.data),
      })
      .returning({ seq: events.seq })
      .get();
    return { ...event, seq: row.seq, at } as SessionEvent;
  }

  /** Events after `cursor`, oldest first. */
  eventsAfter(cursor: number, limit: number): SessionEvent[] {
    return this.db
      .select()
      .from(events)
      .where(gt(events.seq, cursor))
      .orderBy(asc(events.seq))
      .limit(limit)
      .all()
      .map(
        (row) =>
          ({
            seq: row.seq,
            at: row.at,
            type: row.type,
            actor: row.actor ? JSON.parse(row.actor) : null,
            data: JSON.parse(row.data),
          }) as SessionEvent,
      );
  }

  lastSeq(): number {
    return this.db.select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` }).from(events).get()?.seq ?? 0;
  }

  messageByClientId(authorId: string, clientId: string): QueuedPrompt | undefined {
    const row = this.db
      .select()
      .from(messages)
      .where(and(eq(messages.authorId, authorId), eq(messages.clientId, clientId)))
      .get();
    return row && this.toPrompt(row);
  }

  message(messageId: string): QueuedPrompt | undefined {
    const row = this.db.select().from(messages).where(eq(messages.id, messageId)).get();
    return row && this.toPrompt(row);
  }

  insertMessage(row: { id: string; clientId: string; authorId: string; text: string; createdAt: number }): QueuedPrompt {
    const inserted = this.db
      .insert(messages)
      .values({ ...row, state: "queued" })
      .returning()
      .get();
    return this.toPrompt(inserted);
  }

  setMessageState(messageId: string, state: PromptState, at: number): void {
    const times =
      state === "running" ? { startedAt: at } : state === "queued" ? {} : { finishedAt: at };
    this.db.update(messages).set({ state, ...times }).where(eq(messages.id, messageId)).run();
  }

  /** The running prompt, if any, and the queued ones in FIFO order. */
  queue(): { running: QueuedPrompt | null; queued: QueuedPrompt[] } {
    const rows = this.db
      .select()
      .from(messages)
      .where(inArray(messages.state, ["queued", "running"]))
      .orderBy(asc(messages.ordinal))
      .all();
    const running = rows.find((row) => row.state === "running");
    return {
      running: running ? this.toPrompt(running) : null,
      queued: rows.filter((row) => row.state === "queued").map((row) => this.toPrompt(row)),
    };
  }

  insertShareLink(row: ShareLinkRow): void {
    this.db.insert(shareLinks).values(row).run();
  }

  shareLinks(): ShareLinkRow[] {
    return this.db.select().from(shareLinks).orderBy(asc(shareLinks.createdAt)).all();
  }

  shareLinkByHash(tokenHash: string): ShareLinkRow | undefined {
    return this.db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash)).get();
  }

  revokeShareLink(linkId: string, at: number): boolean {
    const rows = this.db
      .update(shareLinks)
      .set({ revokedAt: at })
      .where(and(eq(shareLinks.id, linkId), isNull(shareLinks.revokedAt)))
      .returning({ id: shareLinks.id })
      .all();
    return rows.length > 0;
  }

  shareLink(linkId: string): ShareLinkRow | undefined {
    return this.db.select().from(shareLinks).where(eq(shareLinks.id, linkId)).get();
  }

  /** Sets (or moves) a named deadline and returns the earliest one. */
  setDeadline(kind: string, dueAt: number): number {
    this.db.insert(deadlines).values({ kind, dueAt }).onConflictDoUpdate({ target: deadlines.kind, set: { dueAt } }).run();
    return this.earliestDeadline() ?? dueAt;
  }

  clearDeadline(kind: string): void {
    this.db.delete(deadlines).where(eq(deadlines.kind, kind)).run();
  }

  /** Removes and returns every deadline due at `now`. */
  takeDueDeadlines(now: number): string[] {
    const due = this.db.select().from(deadlines).all().filter((row) => row.dueAt <= now);
    for (const row of due) this.clearDeadline(row.kind);
    return due.map((row) => row.kind);
  }

  earliestDeadline(): number | null {
    return this.db.select({ dueAt: sql<number | null>`min(${deadlines.dueAt})` }).from(deadlines).get()?.dueAt ?? null;
  }

  private toPrompt(row: MessageRow): QueuedPrompt {
    const author = this.participant(row.authorId)?.person ?? {
      userId: row.authorId,
      login: "unknown",
      name: null,
      avatarUrl: null,
    };
    return {
      messageId: row.id,
      clientId: row.clientId,
      author,
      text: row.text,
      state: row.state,
      createdAt: row.createdAt,
    };
  }
}

