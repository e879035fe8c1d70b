// Reads and writes of the team tables: this session's link, its children, its mailbox, and the
// fan-outs people started from it.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { LinkStatus, Mail, MailDelivery, MemberState } from "../../protocol/team.ts";
import { fanOuts, mailbox, teamChildren, teamSelf } from "./team.sql.ts";
import type { Asked, FanOutPlan } from "./fan-out-plan.ts";
import type { SessionDb } from "./store.ts";

export type TeamSelfRow = typeof teamSelf.$inferSelect;
export type ChildRow = typeof teamChildren.$inferSelect;

const toMail = (row: typeof mailbox.$inferSelect): Mail => ({
  id: row.id,
  seq: row.seq,
  from: { sessionId: row.fromSessionId, name: row.fromName },
  text: row.text,
  sentAt: row.sentAt,
  readAt: row.readAt,
});

/** A child row as a link status. */
export const childStatus = (row: ChildRow): LinkStatus => ({
  sessionId: row.sessionId,
  name: row.name,
  role: row.role,
  repo: row.repo,
  title: row.title,
  state: row.state,
  lastTurn: row.lastTurn,
  summary: row.summary,
  updatedAt: row.updatedAt,
});

export class TeamStore {
  private readonly db: SessionDb;
  constructor(db: SessionDb) {
    this.db = db;
  }

  self(): TeamSelfRow | undefined {
    return this.db.select().from(teamSelf).where(eq(teamSelf.id, 1)).get();
  }

  saveSelf(row: Omit<TeamSelfRow, "id">): void {
    this.db
      .insert(teamSelf)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: teamSelf.id, set: row })
      .run();
  }

  children(): ChildRow[] {
    return this.db.select().from(teamChildren).orderBy(asc(teamChildren.createdAt)).all();
  }

  child(sessionId: string): ChildRow | undefined {
    return this.db.select().from(teamChildren).where(eq(teamChildren.sessionId, sessionId)).get();
  }

  addChild(row: ChildRow): void {
    this.db.insert(teamChildren).values(row).run();
  }

  removeChild(sessionId: string): void {
    this.db.delete(teamChildren).where(eq(teamChildren.sessionId, sessionId)).run();
  }

  /** Applies what a child reported; returns the row before, or undefined for an unknown child. */
  updateChild(
    sessionId: string,
    changes: { state: MemberState; lastTurn: ChildRow["lastTurn"]; summary: string | null },
    at: number,
  ): ChildRow | undefined {
    const before = this.child(sessionId);
    if (!before) return undefined;
    this.db
      .update(teamChildren)
      .set({ ...changes, updatedAt: at })
      .where(eq(teamChildren.sessionId, sessionId))
      .run();
    return before;
  }

  /** Stores a delivered mail once; returns it, or null when it was already here. */
  receive(delivery: MailDelivery, at: number): Mail | null {
    const row = this.db
      .insert(mailbox)
      .values({
        id: delivery.id,
        fromSessionId: delivery.from.sessionId,
        fromName: delivery.from.name,
        text: delivery.text,
        sentAt: delivery.sentAt,
        receivedAt: at,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    return row ? toMail(row) : null;
  }

  /** The unread mail in order, marked read in the same step. */
  drain(at: number): Mail[] {
    const unread = this.db
      .select()
      .from(mailbox)
      .where(isNull(mailbox.readAt))
      .orderBy(asc(mailbox.seq))
      .all();
    if (unread.length === 0) return [];
    this.db.update(mailbox).set({ readAt: at }).where(isNull(mailbox.readAt)).run();
    return unread.map((row) => toMail({ ...row, readAt: at }));
  }

  /** The newest mail, oldest first. */
  mail(limit = 200): Mail[] {
    return this.db
      .select()
      .from(mailbox)
      .orderBy(sql`${mailbox.seq} desc`)
      .limit(limit)
      .all()
      .reverse()
      .map(toMail);
  }

  /** Keeps a person's fan-out as it starts. */
  startFanOut(plan: FanOutPlan): void {
    this.db
      .insert(fanOuts)
      .values({ ...plan, finishedAt: null })
      .run();
  }

  /** Records what became of the spaces asked so far, and when waiting ends once it is known. */
  saveFanOutProgress(id: string, progress: { asked: Asked[]; deadline: number | null }): void {
    this.db.update(fanOuts).set(progress).where(eq(fanOuts.id, id)).run();
  }

  /** Fan-outs that have not recorded their synthesis yet, oldest first. */
  unfinishedFanOuts(): FanOutPlan[] {
    return this.db
      .select()
      .from(fanOuts)
      .where(isNull(fanOuts.finishedAt))
      .orderBy(asc(fanOuts.startedAt))
      .all()
      .map(({ finishedAt: _, ...plan }) => plan);
  }

  /** Marks a fan-out finished; false when it already was. */
  finishFanOut(id: string, at: number): boolean {
    const row = this.db
      .update(fanOuts)
      .set({ finishedAt: at })
      .where(and(eq(fanOuts.id, id), isNull(fanOuts.finishedAt)))
      .returning({ id: fanOuts.id })
      .get();
    return row !== undefined;
  }
}
