// The sandbox's seccomp filter: a classic-BPF program for bwrap's `--seccomp FD`.
//
// Every syscall a sandbox could use to reshape its own isolation (mounts, namespaces, tracing,
// kernel modules, keyrings, clocks) returns EPERM; everything else is allowed. The sandbox
// already has no capabilities, so this is a second wall, not the first.

/** The architectures the filter knows syscall numbers for, by Node's `process.arch`. */
export type SeccompArch = "x64" | "arm64";

const AUDIT_ARCH: Record<SeccompArch, number> = {
  x64: 0xc000003e, // AUDIT_ARCH_X86_64
  arm64: 0xc00000b7, // AUDIT_ARCH_AARCH64
};

/** x32 syscalls share AUDIT_ARCH_X86_64 and are told apart by this bit in the number. */
const X32_SYSCALL_BIT = 0x40000000;

/** Syscalls that return EPERM inside a sandbox, with their number per architecture. */
const DENIED: Record<string, Partial<Record<SeccompArch, number>>> = {
  mount: { x64: 165, arm64: 40 },
  umount2: { x64: 166, arm64: 39 },
  pivot_root: { x64: 155, arm64: 41 },
  swapon: { x64: 167, arm64: 224 },
  swapoff: { x64: 168, arm64: 225 },
  reboot: { x64: 169, arm64: 142 },
  kexec_load: { x64: 246, arm64: 104 },
  kexec_file_load: { x64: 320, arm64: 294 },
  init_module: { x64: 175, arm64: 105 },
  finit_module: { x64: 313, arm64: 273 },
  delete_module: { x64: 176, arm64: 106 },
  bpf: { x64: 321, arm64: 280 },
  perf_event_open: { x64: 298, arm64: 241 },
  userfaultfd: { x64: 323, arm64: 282 },
  keyctl: { x64: 250, arm64: 219 },
  add_key: { x64: 248, arm64: 217 },
  request_key: { x64: 249, arm64: 218 },
  ptrace: { x64: 101, arm64: 117 },
  process_vm_readv: { x64: 310, arm64: 270 },
  process_vm_writev: { x64: 311, arm64: 271 },
  open_by_handle_at: { x64: 304, arm64: 265 },
  name_to_handle_at: { x64: 303, arm64: 264 },
  setns: { x64: 308, arm64: 268 },
  unshare: { x64: 272, arm64: 97 },
  iopl: { x64: 172 }, // aarch64 has no port I/O syscalls
  ioperm: { x64: 173 },
  acct: { x64: 163, arm64: 89 },
  settimeofday: { x64: 164, arm64: 170 },
  clock_settime: { x64: 227, arm64: 112 },
  clock_adjtime: { x64: 305, arm64: 266 },
  adjtimex: { x64: 159, arm64: 171 },
  syslog: { x64: 103, arm64: 116 },
  quotactl: { x64: 179, arm64: 60 },
  quotactl_fd: { x64: 443, arm64: 443 },
  lookup_dcookie: { x64: 212, arm64: 18 },
  fsopen: { x64: 430, arm64: 430 },
  fsmount: { x64: 432, arm64: 432 },
  move_mount: { x64: 429, arm64: 429 },
  open_tree: { x64: 428, arm64: 428 },
  open_tree_attr: { x64: 467, arm64: 467 },
  fspick: { x64: 433, arm64: 433 },
  mount_setattr: { x64: 442, arm64: 442 },
};

/** Syscall numbers the filter inspects rather than denies outright. */
export const SYSCALL_NUMBERS: Record<SeccompArch, { clone: number; clone3: number }> = {
  x64: { clone: 56, clone3: 435 },
  arm64: { clone: 220, clone3: 435 },
};

/** Names of the syscalls that fail with EPERM inside a sandbox (iopl/ioperm exist on x86 only). */
export const DENIED_SYSCALLS: readonly string[] = Object.keys(DENIED);

/** The denied syscalls that exist on one architecture, as name → number. */
export function deniedSyscalls(arch: SeccompArch): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, numbers] of Object.entries(DENIED)) {
    const nr = numbers[arch];
    if (nr !== undefined) out.set(name, nr);
  }
  return out;
}

/** Every CLONE_NEW* flag. CLONE_NEWTIME (0x80) overlaps clone()'s exit-signal byte, but no
 * signal number reaches 0x80, so a set bit there can only be a namespace request. */
export const CLONE_NEW_FLAGS =
  0x00020000 | // CLONE_NEWNS
  0x02000000 | // CLONE_NEWCGROUP
  0x04000000 | // CLONE_NEWUTS
  0x08000000 | // CLONE_NEWIPC
  0x10000000 | // CLONE_NEWUSER
  0x20000000 | // CLONE_NEWPID
  0x40000000 | // CLONE_NEWNET
  0x00000080; // CLONE_NEWTIME

/** Filter return values (include/uapi/linux/seccomp.h). */
export const SECCOMP_RET = {
  KILL_PROCESS: 0x80000000,
  ERRNO: 0x00050000,
  ALLOW: 0x7fff0000,
} as const;

const EPERM = 1;
const ENOSYS = 38;

// Classic BPF opcodes (include/uapi/linux/filter.h).
const LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JGE_K = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const JSET_K = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const RET_K = 0x06; // BPF_RET | BPF_K

// Offsets into struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (little-endian).
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0_LOW = 16;

/** True when the filter has no syscall table for this architecture. */
export function unsupportedArch(arch: string): boolean {
  return !(arch in AUDIT_ARCH);
}

/** The seccomp program for `arch` as bytes of `struct sock_filter` entries. */
export function seccompFilter(arch: string = process.arch): Uint8Array {
  if (unsupportedArch(arch)) throw new Error(`no seccomp filter for architecture ${arch}`);
  const a = arch as SeccompArch;
  const prog: Array<[code: number, jt: number, jf: number, k: number]> = [];
  const retErrno = (errno: number) => prog.push([RET_K, 0, 0, SECCOMP_RET.ERRNO | errno]);

  // A syscall made through another ABI (i386 int 0x80, aarch32) has other numbers: kill it.
  prog.push([LD_W_ABS, 0, 0, OFFSET_ARCH]);
  prog.push([JEQ_K, 1, 0, AUDIT_ARCH[a]]);
  prog.push([RET_K, 0, 0, SECCOMP_RET.KILL_PROCESS]);
  prog.push([LD_W_ABS, 0, 0, OFFSET_NR]);
  if (a === "x64") {
    prog.push([JGE_K, 0, 1, X32_SYSCALL_BIT]);
    prog.push([RET_K, 0, 0, SECCOMP_RET.KILL_PROCESS]);
  }

  // Each test is local (skip the one return that follows), so no jump offset can overflow.
  for (const nr of deniedSyscalls(a).values()) {
    prog.push([JEQ_K, 0, 1, nr]);
    retErrno(EPERM);
  }
  // clone3 passes its flags in memory that BPF cannot read; ENOSYS makes libc fall back to clone.
  prog.push([JEQ_K, 0, 1, SYSCALL_NUMBERS[a].clone3]);
  retErrno(ENOSYS);
  // clone's flags are its first argument on both architectures; all CLONE_NEW* bits are in the low word.
  prog.push([JEQ_K, 0, 3, SYSCALL_NUMBERS[a].clone]);
  prog.push([LD_W_ABS, 0, 0, OFFSET_ARG0_LOW]);
  prog.push([JSET_K, 0, 1, CLONE_NEW_FLAGS]);
  retErrno(EPERM);
  prog.push([RET_K, 0, 0, SECCOMP_RET.ALLOW]);

  const bytes = new Uint8Array(prog.length * 8);
  const view = new DataView(bytes.buffer);
  prog.forEach(([code, jt, jf, k], i) => {
    view.setUint16(i * 8, code, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k >>> 0, true);
  });
  return bytes;
}
