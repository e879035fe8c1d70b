// The one way out of a sandbox: a unix socket in its folder that forwards to the control plane.
import { chmod } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";

/** Listens on `socketPath` and pipes every connection to host:port; null target refuses them. */
export async function forwardControlSocket(
  socketPath: string,
  target: { host: string; port: number },
): Promise<Server> {
  const server = createServer((inside) => {
    const outside = connect(target.port, target.host);
    inside.pipe(outside).pipe(inside);
    const end = () => {
      inside.destroy();
      outside.destroy();
    };
    inside.on("error", end);
    outside.on("error", end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  // The sandbox runs as an unprivileged uid; the folder around the socket is what limits access.
  await chmod(socketPath, 0o666);
  return server;
}
