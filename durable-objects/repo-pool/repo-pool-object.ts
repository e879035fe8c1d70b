// The RepoPool Durable Object: one per repository; builds the pool's dependencies and forwards to it.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { drizzle as drizzleDurable } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { Result } from "../../protocol/errors.ts";
import type { BuildLogLine, BuildSocketMessage, PoolStatus } from "../../protocol/registry.ts";
import { poolRegistry } from "./pool-registry.ts";
import { Registry } from "../../registry/registry.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import migrations from "./migrations/migrations.js";
import * as schema from "./pool.sql.ts";
import { PoolStore } from "./pool-store.ts";
import { RepoPool, type BuildPlan } from "./repo-pool.ts";

export type { PoolStatus };

export class RepoPoolObject extends DurableObject<Env> {
  private readonly pool: RepoPool;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const db = drizzleDurable(ctx.storage, { schema });
    this.pool = new RepoPool({
      store: new PoolStore(db),
      provider: sandboxProviderFrom(env),
      registry: poolRegistry(new Registry(drizzle(env.DB))),
      now: () => Date.now(),
      background: (work) => ctx.waitUntil(work),
      broadcast: (message) => this.broadcast(message),
      log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
    });
    void ctx.blockConcurrencyWhile(async () => {
      await migrate(db, migrations);
      await this.pool.recover();
    });
  }

  status(): PoolStatus {
    return this.pool.status();
  }
  startBuild(plan: BuildPlan): Result<{ imageId: string }> {
    return this.pool.startBuild(plan);
  }
  claim(): string | null {
    return this.pool.claim();
  }
  prewarm(): Promise<void> {
    return this.pool.prewarm();
  }
  logOf(imageId: string, after: number): BuildLogLine[] {
    return this.pool.logOf(imageId, after);
  }

  /** Accepts a build-watching socket (the Worker has checked who is asking). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("expected a WebSocket upgrade", { status: 400 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    const status = this.pool.status();
    pair[1].send(JSON.stringify({ type: "status", status } satisfies BuildSocketMessage));
    if (status.building) {
      pair[1].send(
        JSON.stringify({
          type: "log",
          lines: this.pool.logOf(status.building.imageId),
        } satisfies BuildSocketMessage),
      );
    }
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override webSocketMessage(): void {
    // Watchers only listen.
  }
  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // Already closed.
    }
  }

  private broadcast(message: BuildSocketMessage): void {
    const frame = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // Gone; its close event cleans up.
      }
    }
  }
}
