// Reads and writes of pipeline runs, their handoff log and role turns in the Session's SQLite.
import { asc, desc, eq, inArray, and } from "drizzle-orm";
import type { PipelineDefinition } from "../../orchestration/pipelines/definition.ts";
import { pipelineToWire } from "../../orchestration/pipelines/definition.ts";
import type { Handoff } from "../../orchestration/pipelines/handoff.ts";
import { parsePipelineValue } from "../../orchestration/pipelines/parse.ts";
import type { HandoffLogEntry } from "../../orchestration/pipelines/run-log.ts";
import type { RunState } from "../../orchestration/pipelines/run-state.ts";
import { messages } from "./session.sql.ts";
import { pipelineLog, pipelineRuns, roleTurns } from "./pipeline.sql.ts";
import type { SessionDb } from "./store.ts";

/** A run as stored, with its definition and state read back. */
export interface StoredRun {
  id: string;
  clientId: string;
  definition: PipelineDefinition;
  request: string;
  startedBy: string;
  state: RunState;
}

/** A role turn and the prompt running it. */
export interface RoleTurn {
  clientId: string;
  runId: string;
  role: string;
  round: number;
  handoff: Handoff | null;
}

type RunRow = typeof pipelineRuns.$inferSelect;

function toRun(row: RunRow): StoredRun {
  const parsed = parsePipelineValue(JSON.parse(row.definition));
  if (!parsed.ok) throw new Error(`The stored definition of run ${row.id} no longer parses.`);
  return {
    id: row.id,
    clientId: row.clientId,
    definition: parsed.value,
    request: row.request,
    startedBy: row.startedBy,
    state: JSON.parse(row.state) as RunState,
  };
}

const toTurn = (row: typeof roleTurns.$inferSelect): RoleTurn => ({
  ...row,
  handoff: row.handoff ? (JSON.parse(row.handoff) as Handoff) : null,
});

export class PipelineStore {
  private readonly db: SessionDb;
  constructor(db: SessionDb) {
    this.db = db;
  }

  insertRun(run: StoredRun, at: number): void {
    this.db
      .insert(pipelineRuns)
      .values({
        id: run.id,
        clientId: run.clientId,
        pipeline: run.definition.name,
        definition: JSON.stringify(pipelineToWire(run.definition)),
        request: run.request,
        startedBy: run.startedBy,
        state: JSON.stringify(run.state),
        createdAt: at,
        updatedAt: at,
      })
      .run();
  }

  saveState(runId: string, state: RunState): void {
    this.db
      .update(pipelineRuns)
      .set({ state: JSON.stringify(state), updatedAt: state.updatedAt })
      .where(eq(pipelineRuns.id, runId))
      .run();
  }

  run(runId: string): StoredRun | undefined {
    const row = this.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, runId)).get();
    return row && toRun(row);
  }

  runByClientId(clientId: string): StoredRun | undefined {
    const row = this.db
      .select()
      .from(pipelineRuns)
      .where(eq(pipelineRuns.clientId, clientId))
      .get();
    return row && toRun(row);
  }

  /** Every run, newest first. */
  runs(limit = 50): StoredRun[] {
    return this.db
      .select()
      .from(pipelineRuns)
      .orderBy(desc(pipelineRuns.createdAt))
      .limit(limit)
      .all()
      .map(toRun);
  }

  log(runId: string): HandoffLogEntry[] {
    return this.db
      .select({
        kind: pipelineLog.kind,
        role: pipelineLog.role,
        message: pipelineLog.message,
        at: pipelineLog.at,
      })
      .from(pipelineLog)
      .where(eq(pipelineLog.runId, runId))
      .orderBy(asc(pipelineLog.seq))
      .all();
  }

  appendLog(runId: string, entry: HandoffLogEntry): void {
    this.db
      .insert(pipelineLog)
      .values({ runId, ...entry })
      .run();
  }

  addTurn(turn: Omit<RoleTurn, "handoff">): void {
    this.db.insert(roleTurns).values(turn).onConflictDoNothing().run();
  }

  turn(clientId: string): RoleTurn | undefined {
    const row = this.db.select().from(roleTurns).where(eq(roleTurns.clientId, clientId)).get();
    return row && toTurn(row);
  }

  saveHandoff(clientId: string, handoff: Handoff): void {
    this.db
      .update(roleTurns)
      .set({ handoff: JSON.stringify(handoff) })
      .where(eq(roleTurns.clientId, clientId))
      .run();
  }

  /** Message ids of the prompts of one role in one run (its own conversation thread). */
  threadPrompts(runId: string, role: string): Set<string> {
    return new Set(
      this.db
        .select({ id: messages.id })
        .from(roleTurns)
        .innerJoin(messages, eq(messages.clientId, roleTurns.clientId))
        .where(and(eq(roleTurns.runId, runId), eq(roleTurns.role, role)))
        .all()
        .map((row) => row.id),
    );
  }

  /** Message ids of every role turn (kept out of the session's main conversation). */
  allRolePrompts(): Set<string> {
    return new Set(
      this.db
        .select({ id: messages.id })
        .from(roleTurns)
        .innerJoin(messages, eq(messages.clientId, roleTurns.clientId))
        .all()
        .map((row) => row.id),
    );
  }

  /** The prompt a role turn runs as: its state and, when it ended badly, nothing more. */
  promptOf(clientId: string): { id: string; state: string } | undefined {
    return this.db
      .select({ id: messages.id, state: messages.state })
      .from(messages)
      .where(inArray(messages.clientId, [clientId]))
      .get();
  }
}
