import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLONE_NEW_FLAGS,
  DENIED_SYSCALLS,
  SECCOMP_RET,
  SYSCALL_NUMBERS,
  deniedSyscalls,
  seccompFilter,
  unsupportedArch,
  type SeccompArch,
} from "./seccomp.ts";
import { Scratch, runSandbox, sandboxSkipReason, testLaunch, titled } from "./test-sandbox.ts";

const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7, i386: 0x40000003 };
const EPERM = SECCOMP_RET.ERRNO | 1;
const ENOSYS = SECCOMP_RET.ERRNO | 38;

/** A classic-BPF interpreter for the opcodes a seccomp filter uses, to check decisions
 * without a kernel (and for arm64 on an x86 host). */
function evaluate(
  program: Uint8Array,
  data: { nr: number; arch: number; args?: number[] },
): number {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const word = (offset: number): number => {
    if (offset === 0) return data.nr >>> 0;
    if (offset === 4) return data.arch >>> 0;
    const arg = (offset - 16) >> 3;
    if (offset >= 16 && offset < 64 && offset % 8 === 0) return (data.args?.[arg] ?? 0) >>> 0;
    if (offset >= 16 && offset < 64 && offset % 8 === 4) return 0;
    throw new Error(`load from unexpected offset ${offset}`);
  };
  let a = 0;
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = view.getUint16(pc * 8, true);
    const jt = view.getUint8(pc * 8 + 2);
    const jf = view.getUint8(pc * 8 + 3);
    const k = view.getUint32(pc * 8 + 4, true);
    switch (code) {
      case 0x20:
        a = word(k);
        break;
      case 0x15:
        pc += a === k ? jt : jf;
        break;
      case 0x35:
        pc += a >= k ? jt : jf;
        break;
      case 0x45:
        pc += (a & k) !== 0 ? jt : jf;
        break;
      case 0x05:
        pc += k;
        break;
      case 0x06:
        return k;
      default:
        throw new Error(`unexpected opcode ${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error("program ran off its end");
}

describe("seccomp filter program", () => {
  it.each(["x64", "arm64"] as const)(
    "is whole 8-byte instructions that start by checking the arch on %s",
    (arch) => {
      const program = seccompFilter(arch);
      expect(program.length % 8).toBe(0);
      const view = new DataView(program.buffer);
      expect(view.getUint16(0, true)).toBe(0x20); // ld [arch]
      expect(view.getUint32(4, true)).toBe(4);
      expect(view.getUint16(8, true)).toBe(0x15); // jeq AUDIT_ARCH
      expect(view.getUint32(12, true)).toBe(AUDIT_ARCH[arch]);
      expect(program.length / 8).toBeLessThan(4096); // BPF_MAXINSNS
    },
  );

  it.each(["x64", "arm64"] as const)("never jumps past its last instruction on %s", (arch) => {
    const program = seccompFilter(arch);
    const view = new DataView(program.buffer);
    const count = program.length / 8;
    for (let pc = 0; pc < count; pc++) {
      const code = view.getUint16(pc * 8, true);
      if ((code & 0x07) !== 0x05) continue;
      expect(pc + 1 + Math.max(view.getUint8(pc * 8 + 2), view.getUint8(pc * 8 + 3))).toBeLessThan(
        count,
      );
    }
    expect(view.getUint16((count - 1) * 8, true)).toBe(0x06);
  });

  it.each(["x64", "arm64"] as const)("returns EPERM for every denied syscall on %s", (arch) => {
    const program = seccompFilter(arch);
    const denied = deniedSyscalls(arch);
    expect(denied.size).toBe(arch === "x64" ? DENIED_SYSCALLS.length : DENIED_SYSCALLS.length - 2);
    for (const nr of denied.values())
      expect(evaluate(program, { nr, arch: AUDIT_ARCH[arch] })).toBe(EPERM);
  });

  it("knows iopl and ioperm only on x86_64", () => {
    expect(deniedSyscalls("x64").get("iopl")).toBe(172);
    expect(deniedSyscalls("x64").get("ioperm")).toBe(173);
    expect(deniedSyscalls("arm64").has("iopl")).toBe(false);
    expect(deniedSyscalls("arm64").has("ioperm")).toBe(false);
  });

  it.each(["x64", "arm64"] as const)("allows ordinary syscalls on %s", (arch) => {
    const program = seccompFilter(arch);
    const ordinary =
      arch === "x64" ? [0, 1, 2, 57, 59, 61, 231, 257] : [63, 64, 56, 221, 260, 93, 94];
    for (const nr of ordinary)
      expect(evaluate(program, { nr, arch: AUDIT_ARCH[arch] })).toBe(SECCOMP_RET.ALLOW);
  });

  it.each(["x64", "arm64"] as const)(
    "makes clone3 look unimplemented on %s so libc falls back to clone",
    (arch) => {
      const nr = SYSCALL_NUMBERS[arch].clone3;
      expect(evaluate(seccompFilter(arch), { nr, arch: AUDIT_ARCH[arch] })).toBe(ENOSYS);
    },
  );

  it.each(["x64", "arm64"] as const)(
    "refuses clone with any new-namespace flag and allows plain forks on %s",
    (arch) => {
      const program = seccompFilter(arch);
      const nr = SYSCALL_NUMBERS[arch].clone;
      const run = (flags: number) =>
        evaluate(program, { nr, arch: AUDIT_ARCH[arch], args: [flags] });
      for (const flag of [
        0x20000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x80,
      ]) {
        expect(CLONE_NEW_FLAGS & flag).toBe(flag);
        expect(run(flag | 17)).toBe(EPERM);
      }
      const SIGCHLD = 17;
      const CLONE_VM_THREAD_FLAGS =
        0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x80000 | 0x100000 | 0x200000;
      expect(run(SIGCHLD)).toBe(SECCOMP_RET.ALLOW);
      expect(run(CLONE_VM_THREAD_FLAGS)).toBe(SECCOMP_RET.ALLOW);
    },
  );

  it("kills a process that makes syscalls through another ABI", () => {
    expect(evaluate(seccompFilter("x64"), { nr: 1, arch: AUDIT_ARCH.i386 })).toBe(
      SECCOMP_RET.KILL_PROCESS,
    );
    expect(evaluate(seccompFilter("x64"), { nr: 0x40000001, arch: AUDIT_ARCH.x64 })).toBe(
      SECCOMP_RET.KILL_PROCESS,
    );
    expect(evaluate(seccompFilter("arm64"), { nr: 1, arch: 0x40000028 })).toBe(
      SECCOMP_RET.KILL_PROCESS,
    );
    expect(evaluate(seccompFilter("x64"), { nr: 1, arch: AUDIT_ARCH.arm64 })).toBe(
      SECCOMP_RET.KILL_PROCESS,
    );
  });

  it("refuses to build a filter for an architecture it has no table for", () => {
    expect(unsupportedArch("x64")).toBe(false);
    expect(unsupportedArch("arm64")).toBe(false);
    expect(unsupportedArch("riscv64")).toBe(true);
    expect(() => seccompFilter("riscv64")).toThrow(/riscv64/);
  });
});

const skip =
  (await sandboxSkipReason()) ??
  (unsupportedArch(process.arch) ? `skipped: no filter for ${process.arch}` : null);

describe.skipIf(skip !== null)(titled("a sandbox running under the seccomp filter", skip), () => {
  let scratch: Scratch;
  let seccompFile: string;
  let agent: string;
  let workspace: string;
  const arch = process.arch as SeccompArch;
  const nr = (name: string) => deniedSyscalls(arch).get(name);

  beforeAll(async () => {
    scratch = await Scratch.create("seccomp");
    seccompFile = await scratch.seccompFile();
    agent = await scratch.file("agent.pl", "print qq(agent\\n);\n");
    workspace = (await scratch.workspace("ws")).merged;
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  const sh = (script: string, filtered = true) =>
    runSandbox(
      testLaunch(workspace, agent, { command: ["/bin/sh", "-c", script] }),
      filtered ? { seccompFile } : {},
    );

  it("still runs a shell, git and perl", async () => {
    const r = await sh("echo ok && git --version && perl -e 1 && echo done");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ok\ngit version [\d.]+\ndone\n$/);
    expect(r.code).toBe(0);
  });

  it("refuses new user and network namespaces with EPERM", async () => {
    const user = await sh("unshare -U true");
    expect(user.code).not.toBe(0);
    expect(user.stderr).toMatch(/Operation not permitted/);
    const net = await sh("unshare -n true");
    expect(net.code).not.toBe(0);
    expect(net.stderr).toMatch(/Operation not permitted/);
  });

  it("refuses mount(2) and the new mount API", async () => {
    // perl's syscall() passes strings by pointer and refuses literals: copy them into variables.
    const script = `perl -e 'my ($src, $dst, $fs) = ("none", "/tmp", "tmpfs"); syscall(${nr("mount")}, $src, $dst, $fs, 0, 0) == -1 or die "mounted"; print $!+0, " "; syscall(${nr("fsopen")}, $fs, 0) == -1 or die "fsopen"; print $!+0'`;
    const r = await sh(script);
    expect(r.stdout).toBe("1 1");
    const cli = await sh("mount -t tmpfs none /tmp");
    expect(cli.code).not.toBe(0);
  });

  it("refuses clone with CLONE_NEWUSER and answers clone3 with ENOSYS, while fork works", async () => {
    const clone = SYSCALL_NUMBERS[arch].clone;
    const clone3 = SYSCALL_NUMBERS[arch].clone3;
    const script = `perl -e 'my $r = syscall(${clone}, 0x10000000 | 17, 0, 0, 0, 0); exit 9 if $r == 0; print $!+0, " "; syscall(${clone3}, 0, 0); print $!+0, " "; my $p = fork; exit 0 if $p == 0; waitpid($p, 0); print "forked"'`;
    const r = await sh(script);
    expect(r.stdout).toBe("1 38 forked");
  });

  it("refuses ptrace and keyrings that work without the filter", async () => {
    const script = `perl -e 'print syscall(${nr("ptrace")}, 0, 0, 0, 0) == -1 ? $!+0 : "ok", " "; print syscall(${nr("keyctl")}, 0, -3, 0) == -1 ? $!+0 : "ok"'`;
    expect((await sh(script, false)).stdout).toBe("ok ok");
    expect((await sh(script)).stdout).toBe("1 1");
  });

  it("sets no_new_privs and gives the command no capabilities", async () => {
    const r = await sh("grep -E '^(NoNewPrivs|Seccomp|CapEff|CapBnd):' /proc/self/status");
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/);
    expect(r.stdout).toMatch(/Seccomp:\s+2/);
    expect(r.stdout).toMatch(/CapEff:\s+0+\n/);
  });
});
