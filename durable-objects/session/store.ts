// Reads and writes of the Session object's SQLite, one method per question the room asks.
import { and, asc, desc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
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
import {
  deadlines,
  events,
  messages,
  meta,
  participants,
  pullRequest,
  sandboxState,
  shareLinks,
} from "./session.sql.ts";

/** The drizzle handle over this object's storage. */
export type SessionDb = DrizzleSqliteDODatabase<typeof schema>;

/** What the session is, as stored at creation. */
export type SessionMeta = typeof meta.$inferSelect;
/** The session's sandbox row. */
export type SandboxStateRow = typeof sandboxState.$inferSelect;
/** The session's pull request row. */
export type PullRequestRow = Omit<typeof pullRequest.$inferSelect, "id">;
/** A share link row. */
export type ShareLinkRow = typeof shareLinks.$inferSelect;
type ParticipantRow = typeof participants.$inferSelect;

const toPerson = (row: ParticipantRow): Person => ({
  userId: row.userId,
  login: row.login,
  name: row.name,
  avatarUrl: row.avatarUrl,
});

const toParticipant = (row: ParticipantRow): Participant => ({
  person: toPerson(row),
  role: row.role,
  joinedAt: row.joinedAt,
  lastSeenAt: row.lastSeenAt,
});

/** The Session object's storage, synchronous: a handler that does not await is atomic. */
export class SessionStore {
  private readonly db: SessionDb;
  /** Appending is the hot path of a streaming turn: its statement is built once. */
  private readonly insertEvent;
  constructor(db: SessionDb) {
    this.db = db;
    this.insertEvent = db
      .insert(events)
      .values({
        type: sql.placeholder("type"),
        at: sql.placeholder("at"),
        actor: sql.placeholder("actor"),
        data: sql.placeholder("data"),
      })
      .returning({ seq: events.seq })
      .prepare();
  }

  meta(): SessionMeta | undefined {
    return this.db.select().from(meta).get();
  }

  initialize(row: SessionMeta): void {
    this.db.insert(meta).values(row).run();
  }

  pullRequest(): PullRequestRow | undefined {
    const row = this.db.select().from(pullRequest).get();
    if (!row) return undefined;
    const { id: _id, ...rest } = row;
    return rest;
  }

  savePullRequest(row: PullRequestRow): void {
    this.db
      .insert(pullRequest)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: pullRequest.id, set: row })
      .run();
  }

  updateSettings(changes: Partial<Pick<SessionMeta, "model" | "spendLimitUsd">>): SessionMeta {
    return this.db.update(meta).set(changes).returning().get()!;
  }

  /** A current participant; people who left or were removed are not. */
  participant(userId: string): Participant | undefined {
    const row = this.db
      .select()
      .from(participants)
      .where(and(eq(participants.userId, userId), isNull(participants.removedAt)))
      .get();
    return row && toParticipant(row);
  }

  /** Anyone who took part in the session, removed or not: for naming who did something. */
  person(userId: string): Person | undefined {
    const row = this.db.select().from(participants).where(eq(participants.userId, userId)).get();
    return row && toParticipant(row).person;
  }

  /** The current participants, in the order they joined. */
  participants(): Participant[] {
    return this.db
      .select()
      .from(participants)
      .where(isNull(participants.removedAt))
      .orderBy(asc(participants.joinedAt))
      .all()
      .map(toParticipant);
  }

  /** Makes a person a participant (again, after they left) with `role`, joined at `at`, and
   * refreshes their profile. */
  upsertParticipant(person: Person, role: Role, at: number): void {
    this.db
      .insert(participants)
      .values({ ...person, role, joinedAt: at })
      .onConflictDoUpdate({
        target: participants.userId,
        set: {
          login: person.login,
          name: person.name,
          avatarUrl: person.avatarUrl,
          role,
          joinedAt: at,
          removedAt: null,
        },
      })
      .run();
  }

  /** Ends a person's participation; false when they were not a participant. */
  removeParticipant(userId: string, at: number): boolean {
    const rows = this.db
      .update(participants)
      .set({ removedAt: at })
      .where(and(eq(participants.userId, userId), isNull(participants.removedAt)))
      .returning({ userId: participants.userId })
      .all();
    return rows.length > 0;
  }

  touchParticipant(userId: string, at: number): void {
    this.db
      .update(participants)
      .set({ lastSeenAt: at })
      .where(eq(participants.userId, userId))
      .run();
  }

  /** Appends one event and returns it with its sequence number. */
  append(event: NewEvent, at: number): SessionEvent {
    const row = this.insertEvent.get({
      type: event.type,
      at,
      actor: event.actor ? JSON.stringify(event.actor) : null,
      data: JSON.stringify(event.data),
    })!;
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
    return (
      this.db
        .select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` })
        .from(events)
        .get()?.seq ?? 0
    );
  }

  messageByClientId(authorId: string, clientId: string): QueuedPrompt | undefined {
    return this.prompts(and(eq(messages.authorId, authorId), eq(messages.clientId, clientId)))[0];
  }

  message(messageId: string): QueuedPrompt | undefined {
    return this.prompts(eq(messages.id, messageId))[0];
  }

  insertMessage(row: {
    id: string;
    clientId: string;
    authorId: string;
    text: string;
    createdAt: number;
  }): QueuedPrompt {
    this.db
      .insert(messages)
      .values({ ...row, state: "queued" })
      .run();
    return this.message(row.id)!;
  }

  setMessageState(messageId: string, state: PromptState, at: number): void {
    const times =
      state === "running" ? { startedAt: at } : state === "queued" ? {} : { finishedAt: at };
    this.db
      .update(messages)
      .set({ state, ...times })
      .where(eq(messages.id, messageId))
      .run();
  }

  /** Client ids of the newest prompts, newest first. */
  recentClientIds(limit: number): string[] {
    return this.db
      .select({ clientId: messages.clientId })
      .from(messages)
      .orderBy(desc(messages.ordinal))
      .limit(limit)
      .all()
      .map((row) => row.clientId);
  }

  /** How the last finished turn ended, if one did. */
  lastTurn(): "done" | "stopped" | "failed" | null {
    const row = this.db
      .select({ state: messages.state })
      .from(messages)
      .where(inArray(messages.state, ["done", "stopped", "failed"]))
      .orderBy(desc(messages.finishedAt), desc(messages.ordinal))
      .get();
    return (row?.state as "done" | "stopped" | "failed" | undefined) ?? null;
  }

  /** The running prompt, if any, and the queued ones in FIFO order. */
  queue(): { running: QueuedPrompt | null; queued: QueuedPrompt[] } {
    const prompts = this.prompts(inArray(messages.state, ["queued", "running"]));
    return {
      running: prompts.find((prompt) => prompt.state === "running") ?? null,
      queued: prompts.filter((prompt) => prompt.state === "queued"),
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
    this.db
      .insert(deadlines)
      .values({ kind, dueAt })
      .onConflictDoUpdate({ target: deadlines.kind, set: { dueAt } })
      .run();
    return this.earliestDeadline() ?? dueAt;
  }

  clearDeadline(kind: string): void {
    this.db.delete(deadlines).where(eq(deadlines.kind, kind)).run();
  }

  /** Removes and returns every deadline due at `now`. */
  takeDueDeadlines(now: number): string[] {
    const due = this.db
      .select()
      .from(deadlines)
      .all()
      .filter((row) => row.dueAt <= now);
    for (const row of due) this.clearDeadline(row.kind);
    return due.map((row) => row.kind);
  }

  earliestDeadline(): number | null {
    return (
      this.db
        .select({ dueAt: sql<number | null>`min(${deadlines.dueAt})` })
        .from(deadlines)
        .get()?.dueAt ?? null
    );
  }

  /** The session's sandbox, or an empty row when it never had one. */
  sandbox(): SandboxStateRow {
    return (
      this.db.select().from(sandboxState).where(eq(sandboxState.id, 1)).get() ?? {
        id: 1,
        sandboxId: null,
        imageId: null,
        status: null,
        lastSnapshotId: null,
        lastSnapshotImageId: null,
        lastSnapshotAt: null,
        commit: null,
        lastActivityAt: 0,
      }
    );
  }

  saveSandbox(changes: Partial<Omit<SandboxStateRow, "id">>): SandboxStateRow {
    const next = { ...this.sandbox(), ...changes, id: 1 };
    this.db
      .insert(sandboxState)
      .values(next)
      .onConflictDoUpdate({ target: sandboxState.id, set: next })
      .run();
    return next;
  }

  /** Prompts with their authors, in queue order, in one query. */
  private prompts(where: SQL | undefined): QueuedPrompt[] {
    return this.db
      .select({ message: messages, author: participants })
      .from(messages)
      .leftJoin(participants, eq(participants.userId, messages.authorId))
      .where(where)
      .orderBy(asc(messages.ordinal))
      .all()
      .map(({ message, author }) => ({
        messageId: message.id,
        clientId: message.clientId,
        author: author
          ? toPerson(author)
          : { userId: message.authorId, login: "unknown", name: null, avatarUrl: null },
        text: message.text,
        state: message.state,
        createdAt: message.createdAt,
      }));
  }
}
