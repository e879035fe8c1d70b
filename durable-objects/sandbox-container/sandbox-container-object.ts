// The SandboxContainer Durable Object: one container (a sandbox, a build or a remote's git) per
// object, named by the Containers provider. It builds the gate and forwards to it.
import { DurableObject } from "cloudflare:workers";
import { ContainerGate } from "./container-gate.ts";

export class SandboxContainer extends DurableObject<Env> {
  private readonly gate: ContainerGate | null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Only a deploy environment that configures containers gives this class a container.
    this.gate = ctx.container
      ? new ContainerGate({
          container: ctx.container,
          storage: ctx.storage,
          now: () => Date.now(),
          log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
        })
      : null;
  }

  override fetch(request: Request): Promise<Response> {
    if (!this.gate) return Promise.resolve(noContainer());
    return this.gate.fetch(request);
  }

  override async alarm(): Promise<void> {
    await this.gate?.alarm();
  }
}

function noContainer(): Response {
  return Response.json(
    {
      error: {
        code: "unavailable",
        message: "This deployment has no containers; deploy with `--env containers`.",
      },
    },
    { status: 503 },
  );
}
