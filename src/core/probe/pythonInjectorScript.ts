// The ptrace injector, run by a Python interpreter (the target's own when possible) as a
// separate process. Kept as a string so the bundle needs no extra asset; written to a private
// temp file at probe time. Python 3.6+ syntax (it may run under the target's interpreter).
export const INJECTOR_PY = String.raw`
# Leakscope's ptrace injector (Linux x86-64). Runs PyRun_SimpleString in a live CPython
# process by borrowing one of its threads while that thread is blocked in a system call.
# Why not gdb: gdb 13 restores the full XSAVE area after an inferior call, which fails on
# CPUs with AMX ("Couldn't write extended state status") and leaves the target with a raw
# -ERESTART* error (it died with OSError 514). Here only the general registers and the
# FXSAVE area are saved and restored, and only at a system-call boundary, where the wider
# vector registers hold nothing live (they are caller-saved around the libc wrapper).
import ctypes, json, os, signal, struct, sys, time

PTRACE_GETREGS, PTRACE_SETREGS = 12, 13
PTRACE_GETFPREGS, PTRACE_SETFPREGS = 14, 15
PTRACE_CONT, PTRACE_DETACH = 7, 17
PTRACE_SEIZE, PTRACE_INTERRUPT = 0x4206, 0x4207
PTRACE_GETSIGINFO = 0x4202
WALL = 0x40000000

# Blocking system calls where a thread is idle with the GIL released (sleep, poll, read…).
# Excluded on purpose: mmap/brk/munmap (malloc may hold its arena lock) and futex (a thread
# waiting for the GIL is inside take_gil).
SAFE_SYSCALLS = {
    0: 'read', 7: 'poll', 23: 'select', 34: 'pause', 35: 'nanosleep', 43: 'accept',
    45: 'recvfrom', 47: 'recvmsg', 61: 'wait4', 128: 'rt_sigtimedwait', 130: 'rt_sigsuspend',
    230: 'clock_nanosleep', 232: 'epoll_wait', 247: 'waitid', 270: 'pselect6', 271: 'ppoll',
    281: 'epoll_pwait', 288: 'accept4', 441: 'epoll_pwait2',
}
NEEDED = ('PyGILState_Check', 'PyGILState_Ensure', 'PyGILState_Release', 'PyRun_SimpleStringFlags')


class Regs(ctypes.Structure):
    _fields_ = [(n, ctypes.c_ulonglong) for n in (
        'r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx',
        'rsi', 'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base',
        'ds', 'es', 'fs', 'gs')]


class Failure(Exception):
    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code


libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


def ptrace(request, tid, addr=0, data=0):
    result = libc.ptrace(request, tid, ctypes.c_void_p(addr), ctypes.c_void_p(data))
    if result == -1:
        err = ctypes.get_errno()
        if err:
            raise OSError(err, os.strerror(err))
    return result


def emit(obj):
    try:
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        pass  # the caller gave up; finishing the restore matters more than reporting


def elf_symbols(path, wanted):
    """Dynamic symbols of an ELF64 file and the vaddr of its first PT_LOAD."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        return None, {}
    e_phoff, e_shoff = struct.unpack_from('<QQ', data, 0x20)
    e_phentsize, e_phnum, e_shentsize, e_shnum = struct.unpack_from('<HHHH', data, 0x36)
    first_load = None
    for i in range(e_phnum):
        p_type, _, p_offset, p_vaddr = struct.unpack_from('<IIQQ', data, e_phoff + i * e_phentsize)
        if p_type == 1 and first_load is None:
            first_load = p_vaddr - p_offset
    found = {}
    for i in range(e_shnum):
        base = e_shoff + i * e_shentsize
        sh_type = struct.unpack_from('<I', data, base + 4)[0]
        if sh_type != 11:  # SHT_DYNSYM
            continue
        sh_offset, sh_size, sh_link = struct.unpack_from('<QQI', data, base + 0x18)
        str_base = struct.unpack_from('<Q', data, e_shoff + sh_link * e_shentsize + 0x18)[0]
        for off in range(sh_offset, sh_offset + sh_size, 24):
            st_name, st_info, _, st_shndx, st_value = struct.unpack_from('<IBBHQ', data, off)
            if st_shndx == 0 or (st_info & 0xf) != 2:  # undefined, or not a function
                continue
            end = data.index(b'\0', str_base + st_name)
            name = data[str_base + st_name:end].decode('ascii', 'replace')
            if name in wanted:
                found[name] = st_value
    return first_load, found


def resolve(pid):
    """Addresses of the CPython API functions in the target: its executable or libpython."""
    candidates = {}
    exe = os.readlink('/proc/%d/exe' % pid)
    with open('/proc/%d/maps' % pid) as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) < 6 or int(parts[2], 16) != 0:
                continue
            path = parts[5].strip()
            start = int(parts[0].split('-')[0], 16)
            name = os.path.basename(path.replace(' (deleted)', ''))
            if name.startswith('libpython') or name.startswith('python') or path == exe:
                candidates.setdefault(path, (start, parts[0]))
    for path, (start, span) in candidates.items():
        source = path if os.path.exists(path) else '/proc/%d/map_files/%s' % (pid, span)
        try:
            first_load, found = elf_symbols(source, NEEDED)
        except OSError:
            continue
        if all(n in found for n in NEEDED):
            bias = start - (first_load & ~0xfff)
            return dict((n, v + bias) for n, v in found.items())
    raise Failure('unsupported', 'no CPython API symbols (%s) in the target' % ', '.join(NEEDED))


def current_syscall(pid, tid):
    try:
        with open('/proc/%d/task/%d/syscall' % (pid, tid)) as f:
            first = f.read().split()
    except OSError:
        return None
    return int(first[0]) if first and first[0].lstrip('-').isdigit() else None


def wait_stop(tid, deadline):
    """Waits for the traced thread to stop; returns the wait status."""
    while True:
        got, status = os.waitpid(tid, WALL | os.WNOHANG)
        if got == tid:
            if os.WIFEXITED(status) or os.WIFSIGNALED(status):
                raise Failure('process-exited', 'the target exited')
            return status
        if deadline is not None and time.time() > deadline:
            return None
        time.sleep(0.0005)


class Hijack(object):
    """One thread of the target, stopped at a system call, used for function calls."""

    def __init__(self, pid, tid):
        self.pid, self.tid = pid, tid
        self.saved = Regs()
        self.saved_fp = ctypes.create_string_buffer(512)
        self.mem = None

    def stop(self):
        ptrace(PTRACE_SEIZE, self.tid, 0, 0)
        ptrace(PTRACE_INTERRUPT, self.tid)
        if wait_stop(self.tid, time.time() + 5) is None:
            raise Failure('timeout', 'thread %d did not stop' % self.tid)
        ptrace(PTRACE_GETREGS, self.tid, 0, ctypes.addressof(self.saved))
        ptrace(PTRACE_GETFPREGS, self.tid, 0, ctypes.addressof(self.saved_fp))
        self.mem = open('/proc/%d/mem' % self.pid, 'r+b', buffering=0)

    def at_safe_syscall(self):
        return self.saved.orig_rax in SAFE_SYSCALLS

    def call(self, func, args, scratch=b''):
        """Calls func(*args) on the thread; scratch bytes are copied below the stack first and
        their address replaces the string 'scratch' in args. Returns rax."""
        top = (self.saved.rsp - 1024 - len(scratch)) & ~0xf  # beyond the red zone
        if scratch:
            self.mem.seek(top)
            self.mem.write(scratch)
        args = [top if a == 'scratch' else a for a in args]
        regs = Regs.from_buffer_copy(self.saved)
        regs.rsp = ((top - 256) & ~0xf) - 8  # as right after a call instruction: rsp+8 is 16-byte aligned
        self.mem.seek(regs.rsp)
        self.mem.write(struct.pack('<Q', 0))  # return to address 0: a fault we intercept
        regs.rip = func
        regs.rax = 0
        regs.orig_rax = 2 ** 64 - 1  # -1: no system-call restart while our call runs
        for reg, value in zip(('rdi', 'rsi', 'rdx'), args):
            setattr(regs, reg, value & (2 ** 64 - 1))
        ptrace(PTRACE_SETREGS, self.tid, 0, ctypes.addressof(regs))
        ptrace(PTRACE_CONT, self.tid, 0, 0)
        while True:
            status = wait_stop(self.tid, None)
            sig = os.WSTOPSIG(status)
            out = Regs()
            ptrace(PTRACE_GETREGS, self.tid, 0, ctypes.addressof(out))
            if sig == signal.SIGSEGV and out.rip == 0:
                return out.rax
            if sig == signal.SIGSEGV:
                raise Failure('injection-failed', 'the target faulted inside the injected call')
            # Another signal or a group stop arrived during the call: let it through.
            event = status >> 16
            ptrace(PTRACE_CONT, self.tid, 0, 0 if event else sig)

    def release(self):
        """Puts the thread back exactly as it was: it resumes (or restarts) its system call."""
        try:
            ptrace(PTRACE_SETREGS, self.tid, 0, ctypes.addressof(self.saved))
            ptrace(PTRACE_SETFPREGS, self.tid, 0, ctypes.addressof(self.saved_fp))
        finally:
            if self.mem:
                self.mem.close()
            ptrace(PTRACE_DETACH, self.tid, 0, 0)


def candidate_threads(pid):
    tids = sorted(int(t) for t in os.listdir('/proc/%d/task' % pid))
    tids.sort(key=lambda t: t != pid)  # the main thread first: it has the largest stack
    return [t for t in tids if current_syscall(pid, t) in SAFE_SYSCALLS]


def inject(pid, code, deadline):
    symbols = resolve(pid)
    waiting_said = False
    while True:
        for tid in candidate_threads(pid):
            hijack = Hijack(pid, tid)
            try:
                hijack.stop()
            except OSError as error:
                if error.errno == 3:  # ESRCH: the thread ended meanwhile
                    continue
                raise
            try:
                if not hijack.at_safe_syscall():
                    continue
                if hijack.call(symbols['PyGILState_Check'], []) & 0xffffffff:
                    continue  # it holds the GIL while blocked: not a point to run Python
                emit({'event': 'calling', 'tid': tid, 'syscall': SAFE_SYSCALLS[hijack.saved.orig_rax]})
                state = hijack.call(symbols['PyGILState_Ensure'], [])
                rc = hijack.call(symbols['PyRun_SimpleStringFlags'], ['scratch', 0], code + b'\0')
                hijack.call(symbols['PyGILState_Release'], [state & 0xffffffff])
                rc = ctypes.c_int(rc & 0xffffffff).value
                return {'ok': rc == 0, 'rc': rc, 'tid': tid}
            finally:
                hijack.release()
        if time.time() > deadline:
            raise Failure('timeout', 'no thread of the target reached a safe point to run code')
        if not waiting_said:
            emit({'event': 'waiting'})
            waiting_said = True
        time.sleep(0.02)


def main():
    request = json.loads(sys.argv[1])
    # Once a call is under way the thread must be put back whatever happens to us.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    try:
        result = inject(request['pid'], request['code'].encode('utf-8'), time.time() + request['timeoutS'])
    except Failure as failure:
        result = {'ok': False, 'code': failure.code, 'error': str(failure)}
    except OSError as error:
        code = 'permission-denied' if error.errno in (1, 13) else 'process-exited' if error.errno == 3 else 'injection-failed'
        result = {'ok': False, 'code': code, 'error': '%s: %s' % (type(error).__name__, error)}
    emit(dict(result, event='done'))


main()
`;
