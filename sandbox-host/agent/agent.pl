#!/usr/bin/perl
# The in-sandbox agent: runs commands, reads and writes files and relays exposed ports for the
# sandbox host, one NDJSON request per stdin line and one reply per stdout line
# (protocol/sandbox-agent.ts).
#
# Constraints that shape this file (over 500 lines because of the first two):
# - Every sandbox runs one of these while idle, so memory counts: POSIX, JSON::PP, IO::Select
#   and File::Basename together would more than double the agent's private memory, hence the
#   small JSON codec, the builtin four-argument select, hand-packed socket addresses (Socket.pm
#   and IO::Socket are not loaded) and the hard-coded Linux constants.
# - Perl keeps a sub's lexical string buffers after it returns, and a regex keeps the subject of
#   its last match alive. Code on the path of file contents therefore uses $_[0] aliases, hash
#   values, undef and tr rather than `my` copies and matches; otherwise one 20 MiB write would
#   leave the agent holding ~150 MiB.
# - The sandbox sees the host's /usr read-only, so only core Perl modules are available.
# - It must never die on bad input: every request runs inside an eval and gets a reply.
use strict;

# glibc raises its mmap threshold after a big block is freed; big strings then come from a heap
# it does not give back, and one 20 MiB write would leave the agent holding tens of MiB. A fixed
# threshold keeps big buffers in mmap, returned when freed. glibc reads it from the environment
# at startup only, so the agent runs itself again once with it set, then unsets it for commands.
BEGIN {
  if (@ARGV && $ARGV[0] eq '--malloc-set') {
    shift @ARGV;
    delete $ENV{MALLOC_MMAP_THRESHOLD_};
  } elsif (!exists $ENV{MALLOC_MMAP_THRESHOLD_}) {
    local $ENV{MALLOC_MMAP_THRESHOLD_} = 131072;
    exec { $^X } $^X, $0, '--malloc-set', @ARGV;    # if that fails, carry on with glibc's default
  }
}

use Errno ();
use Fcntl qw(O_WRONLY O_CREAT O_EXCL F_GETFL F_SETFL O_NONBLOCK);
use MIME::Base64 ();
use Time::HiRes ();

use constant WNOHANG => 1;        # <sys/wait.h> on Linux; POSIX.pm alone costs ~2 MiB
use constant READ_CHUNK => 65536;
use constant DRAIN_READS => 64;   # reads per pipe after the command ended (bounded: see drain)
use constant SAFETY_WAKE_S => 1;  # a SIGCHLD landing just before select() waits at most this
use constant LONG_LINE => 65536;  # after a request this long, see forget_line
use constant { AF_UNIX => 1, AF_INET => 2, AF_INET6 => 10, SOCK_STREAM => 1, SHUT_WR => 1 };
use constant LISTEN_BACKLOG => 64;

# Signal numbers are the asm-generic Linux ones (x86-64, arm64).
my @SIGNAL_NAMES = (undef, qw(HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM
  TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS));

my %ERRNO_CODES = (
  Errno::ENOENT() => 'not_found',        Errno::EACCES() => 'permission_denied',
  Errno::EPERM()  => 'permission_denied', Errno::EISDIR() => 'is_directory',
  Errno::ENOTDIR() => 'not_a_directory',  Errno::ENOSPC() => 'no_space',
  Errno::EDQUOT() => 'no_space',         Errno::EROFS() => 'read_only',
  Errno::ENAMETOOLONG() => 'name_too_long', Errno::ELOOP() => 'symlink_loop',
);

# ---- JSON ----------------------------------------------------------------------------------
# Numbers decode to JsonNum and booleans to JsonBool references so that validation can tell
# 5 from "5"; replies mark their numbers and booleans the same way (num, TRUE, FALSE).
my ($TRUE, $FALSE) = (bless(\(my $t = 1), 'JsonBool'), bless(\(my $f = 0), 'JsonBool'));
sub num { my $n = 0 + $_[0]; return bless \$n, 'JsonNum' }

my %UNESCAPE = ('"' => '"', '\\' => '\\', '/' => '/', b => "\b", f => "\f", n => "\n",
  r => "\r", t => "\t");
my %ESCAPE = ('"' => '\\"', '\\' => '\\\\', "\n" => '\\n', "\r" => '\\r', "\t" => '\\t');

sub json_decode {    # decodes $_[0] in place
  utf8::decode($_[0]) or die "the line is not valid UTF-8\n";
  for ($_[0]) {    # the parser below matches against $_ with \G anchors
    my $value = json_value(0);
    /\G\s*\z/gc or die "unexpected text after the JSON value\n";
    return $value;
  }
}

sub json_value {
  my ($depth) = @_;
  die "JSON nested too deeply\n" if $depth > 32;
  /\G\s*/gc;
  if (/\G\{\s*/gc) {
    my %object;
    return \%object if /\G\}/gc;
    while (1) {
      /\G\s*"/gc or die "expected a quoted key in JSON object\n";
      my $key = json_string();
      /\G\s*:/gc or die "expected ':' in JSON object\n";
      $object{$key} = json_value($depth + 1);
      return \%object if /\G\s*\}/gc;
      /\G\s*,/gc or die "expected ',' or '}' in JSON object\n";
    }
  }
  if (/\G\[\s*/gc) {
    my @array;
    return \@array if /\G\]/gc;
    while (1) {
      push @array, json_value($depth + 1);
      return \@array if /\G\s*\]/gc;
      /\G\s*,/gc or die "expected ',' or ']' in JSON array\n";
    }
  }
  return json_string() if /\G"/gc;
  return num($1) if /\G(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)/gc;
  return $TRUE if /\Gtrue/gc;
  return $FALSE if /\Gfalse/gc;
  return undef if /\Gnull/gc;
  die "unexpected character in JSON\n";
}

sub json_string {    # after the opening quote
  # Without escapes, the common case (all base64), the string is returned straight from the
  # line: a `my` variable or $1 would hold on to a copy. Strings with escapes are small in
  # practice (Linux caps an argument at 128 KiB), so the loop below may use both.
  my $start = pos;
  return substr($_, $start, pos() - $start - 1) if /\G[^"\\\x00-\x1f]*"/gc;
  my $string = '';
  while (1) {
    /\G([^"\\\x00-\x1f]*)/gc;
    $string .= $1;
    return $string if /\G"/gc;
    if (/\G\\u([0-9a-fA-F]{4})/gc) {
      my $code = hex $1;
      if ($code >= 0xD800 && $code < 0xDC00 && /\G\\u([dD][c-fC-F][0-9a-fA-F]{2})/gc) {
        $code = 0x10000 + (($code - 0xD800) << 10) + (hex($1) - 0xDC00);
      }
      $string .= chr $code;
    } elsif (/\G\\(["\\\/bfnrt])/gc) {
      $string .= $UNESCAPE{$1};
    } else {
      die "bad escape or control character in JSON string\n";
    }
  }
}

# Each regex keeps the subject of its last successful match alive. After a long request line,
# parsing this short line runs every pattern of the parser, so the long line can be freed.
sub forget_line {
  eval { json_decode(my $line = '{"a":["\\n\\ud83d\\ude00",1,true,false,null,[],{}],"b":{}}') };
}

sub json_encode {    # a list of pieces to print, so that big strings are never joined
  my ($value) = @_;
  my $type = ref $value;
  return 'null' unless defined $value;
  if ($type eq 'HASH') {
    my @pieces;
    push @pieces, (@pieces ? ',' : '{'), json_quote($_), ':', json_encode($value->{$_})
      for keys %$value;
    return (@pieces ? @pieces : '{'), '}';
  }
  return $$value ? 'true' : 'false' if $type eq 'JsonBool';
  return "$$value" if $type eq 'JsonNum';
  return json_quote($value);
}

# Lone surrogates stay escaped so that ids holding them come back unchanged.
my $NEEDS_ESCAPE = qr/["\\\x00-\x1f\x{D800}-\x{DFFF}]/;
sub json_quote {
  return ('"', $_[0], '"') unless $_[0] =~ $NEEDS_ESCAPE;
  (my $string = $_[0]) =~ s/($NEEDS_ESCAPE)/$ESCAPE{$1} \/\/ sprintf('\\u%04x', ord $1)/ge;
  return qq("$string");
}

# ---- Replies -------------------------------------------------------------------------------
$| = 1;
$SIG{PIPE} = 'IGNORE';    # a command that stops reading its stdin must not kill the agent
my %execs;                # exec id => running command (see start_exec)
my %exec_by_pid;

binmode STDOUT, ':utf8';
sub reply {
  print STDOUT json_encode($_[0]), "\n" or shut_down();    # the host is gone
}

sub reply_error {
  my ($id, $code, $message) = @_;
  reply({ type => 'error', id => $id, code => $code, message => $message });
}

sub reply_errno {    # after a failed system call, with $! still set
  my ($id, $what) = @_;
  reply_error($id, $ERRNO_CODES{0 + $!} // 'io_error', "$what: $!");
}

sub now { Time::HiRes::clock_gettime(Time::HiRes::CLOCK_MONOTONIC()) }
sub to_bytes { my ($string) = @_; utf8::encode($string); return $string }    # for system calls
sub base64 { MIME::Base64::encode_base64($_[0], '') }
sub unbase64 {    # undef unless strict base64: decode_base64 would skip stray characters
  # tr and index, not a regex: a successful match would keep the (possibly huge) string alive.
  my ($length, $padding) = (length $_[0], index($_[0], '='));
  return undef if $length % 4 || ($_[0] =~ tr{A-Za-z0-9+/=}{}c)
    || ($padding >= 0 && ($padding < $length - 2 || rindex($_[0], '=') != $length - 1));
  return MIME::Base64::decode_base64($_[0]);
}

sub set_nonblocking {
  my ($fh) = @_;
  my $flags = fcntl($fh, F_GETFL, 0) or return;
  fcntl($fh, F_SETFL, $flags | O_NONBLOCK);
}

my (%readers, %writers);    # fd => [handle, callback], served by the loop at the end

# ---- Requests ------------------------------------------------------------------------------
# Field types per op, as in AgentRequestSchema; a trailing ? marks an optional field.
my %FIELDS = (
  exec => [argv => 'argv', cwd => 'string?', env => 'env?', timeoutMs => 'positive',
    maxOutputBytes => 'positive', stdin => 'string?'],
  kill  => [execId => 'string', signal => 'signal'],
  read  => [path => 'string', maxBytes => 'positive'],
  write => [path => 'string', data => 'string', mode => 'integer?', parents => 'boolean?'],
  expose => [port => 'port', greeting => 'string'],
  ping  => [],
);
my %HANDLERS = (exec => \&start_exec, kill => \&kill_exec, read => \&read_file,
  write => \&write_file, expose => \&expose_port,
  ping => sub { reply({ type => 'pong', id => $_[0]{id} }) });

sub is_string { defined $_[0] && !ref $_[0] }
sub is_integer { ref $_[0] eq 'JsonNum' && ${$_[0]} == int(${$_[0]}) && abs(${$_[0]}) < 2**53 }

# Returns what is wrong with a request, or undef; numbers and booleans become plain scalars.
sub check_request {
  my ($request) = @_;
  my $op = $request->{op};
  return 'op must be one of ' . join(', ', sort keys %FIELDS) unless is_string($op) && $FIELDS{$op};
  return 'id must be a string' unless is_string($request->{id});
  my @fields = @{ $FIELDS{$op} };
  while (my ($name, $type) = splice @fields, 0, 2) {
    my $optional = $type =~ s/\?\z//;
    next if $optional && !exists $request->{$name};
    for my $value ($request->{$name}) {    # an alias: a copy of a big string would linger
      my $valid =
          $type eq 'string'   ? is_string($value)
        : $type eq 'positive' ? is_integer($value) && $$value > 0
        : $type eq 'integer'  ? is_integer($value)
        : $type eq 'port'     ? is_integer($value) && $$value >= 1 && $$value <= 65535
        : $type eq 'boolean'  ? ref $value eq 'JsonBool'
        : $type eq 'signal'   ? is_string($value) && $value =~ /\A(?:TERM|KILL|INT)\z/
        : $type eq 'argv'     ? ref $value eq 'ARRAY' && @$value && !grep { !is_string($_) } @$value
        : $type eq 'env'      ? ref $value eq 'HASH' && !grep { !is_string($_) } values %$value
        :                       0;
      return "$name must be " . ($type eq 'argv' ? 'a non-empty array of strings'
        : $type eq 'port' ? 'an integer from 1 to 65535' : "a valid $type") unless $valid;
      $value = $$value if ref $value eq 'JsonNum' || ref $value eq 'JsonBool';
    }
  }
  return undef;
}

sub handle_line {    # consumes $_[0]
  return if $_[0] =~ /\A\s*\z/;
  my $request = eval { json_decode($_[0]) };
  chomp(my $error = $@);
  return reply_error(undef, 'bad_request', "not a JSON line: $error") if $error;
  return reply_error(undef, 'bad_request', 'a request must be a JSON object')
    unless ref $request eq 'HASH';
  my $id = is_string($request->{id}) ? $request->{id} : undef;
  my $problem = check_request($request);
  return reply_error($id, 'bad_request', $problem) if defined $problem;
  return if eval { $HANDLERS{ $request->{op} }->($request); 1 };
  chomp($error = $@);
  reply_error($id, 'internal', "the agent failed: $error");
}

# ---- exec ----------------------------------------------------------------------------------
sub start_exec {
  my ($request) = @_;
  my $id = $request->{id};
  return reply_error($id, 'duplicate_id', "a command with id $id is still running") if $execs{$id};
  my $cwd = defined $request->{cwd} ? to_bytes($request->{cwd}) : undef;
  return reply_error($id, 'bad_cwd', "the working directory $request->{cwd} does not exist")
    if defined $cwd && !-d $cwd;
  my $input = \(defined $request->{stdin} ? unbase64(delete $request->{stdin}) : '');
  return reply_error($id, 'bad_request', 'stdin must be base64') unless defined $$input;

  # Without stdin the command reads /dev/null: some tools read a pipe on stdin instead of files.
  my ($out_r, $out_w, $err_r, $err_w, $in_r, $in_w, $pid);
  if (pipe($out_r, $out_w) && pipe($err_r, $err_w) && (!length $$input || pipe($in_r, $in_w))) {
    $pid = fork;
  }
  return reply_errno($id, 'cannot start the command') unless defined $pid;
  run_child($request, $cwd, $in_r, $out_w, $err_w) if $pid == 0;

  setpgrp($pid, $pid);    # also done in the child: whichever runs first wins the race
  close $_ for grep { defined } $out_w, $err_w, $in_r;
  my $started = now();
  my $exec = $execs{$id} = $exec_by_pid{$pid} = {
    id => $id, pid => $pid, started => $started,
    deadline => $started + $request->{timeoutMs} / 1000,
    max => $request->{maxOutputBytes}, timed_out => 0,
    stdout => { fh => $out_r, total => 0, head => '', tail => '' },
    stderr => { fh => $err_r, total => 0, head => '', tail => '' },
    input => $input, input_fh => $in_w, input_offset => 0,    # input: a reference
  };
  for my $name (qw(stdout stderr)) {
    set_nonblocking($exec->{$name}{fh});
    watch_read($exec->{$name}{fh}, sub { read_output($exec, $name) });
  }
  return unless $in_w;
  set_nonblocking($in_w);
  watch_write($in_w, sub { feed_stdin($exec) });
}

sub run_child {    # in the forked child; never returns
  my ($request, $cwd, $in_r, $out_w, $err_w) = @_;
  eval {
    $SIG{$_} = 'DEFAULT' for qw(PIPE CHLD TERM HUP);
    setpgrp(0, 0);    # its own process group, so a timeout or kill reaches its children too
    # Reopening STDIN/STDOUT/STDERR keeps fds 0, 1, 2; every other pipe is close-on-exec.
    ($in_r ? open(STDIN, '<&', $in_r) : open(STDIN, '<', '/dev/null'))
      && open(STDOUT, '>&', $out_w) && open(STDERR, '>&', $err_w)
      or die "cannot set up stdio: $!\n";
    die "cannot enter $request->{cwd}: $!\n" if defined $cwd && !chdir $cwd;
    my $env = $request->{env} || {};
    $ENV{ to_bytes($_) } = to_bytes($env->{$_}) for keys %$env;
    my @argv = map { to_bytes($_) } @{ $request->{argv} };
    exec { $argv[0] } @argv or die "cannot run $request->{argv}[0]: $!\n";
  };
  print STDERR "tandem-agent: $@";
  require POSIX;    # only in the child: _exit skips the agent's exit handlers and buffers
  POSIX::_exit(127);
}

sub read_output {
  my ($exec, $name) = @_;
  my $stream = $exec->{$name};
  my $count = sysread($stream->{fh}, my $chunk, READ_CHUNK);
  return if !defined $count && ($! == Errno::EAGAIN() || $! == Errno::EINTR());
  return unwatch_and_close($stream, 'fh') unless $count;
  keep_output($exec, $name, $chunk);
}

# Streams output while under the cap; keeps the first half of the cap and a rolling last half.
sub keep_output {
  my ($exec, $name, $chunk) = @_;
  my ($stream, $max) = ($exec->{$name}, $exec->{max});
  my $room = $max - $stream->{total};
  reply({ type => 'output', id => $exec->{id}, stream => $name,
    data => base64(substr($chunk, 0, $room)) }) if $room > 0;
  $stream->{total} += length $chunk;
  my $head_max = int($max / 2);
  my $head_room = $head_max - length $stream->{head};
  if ($head_room > 0) {
    $stream->{head} .= substr($chunk, 0, $head_room, '');
  }
  $stream->{tail} .= $chunk;
  my $excess = length($stream->{tail}) - ($max - $head_max);
  substr($stream->{tail}, 0, $excess, '') if $excess > 0;
}

# The kept output in base64: head, marker and tail joined in place, as the stream is done.
sub kept_output {
  my ($stream) = @_;
  my $omitted = $stream->{total} - length($stream->{head}) - length($stream->{tail});
  $stream->{head} .= "\n\xe2\x80\xa6[$omitted bytes omitted]\xe2\x80\xa6\n" if $omitted > 0;
  $stream->{head} .= delete $stream->{tail};
  return base64($stream->{head});
}

sub feed_stdin {
  my ($exec) = @_;
  my $count = syswrite($exec->{input_fh}, ${ $exec->{input} }, READ_CHUNK, $exec->{input_offset});
  return if !defined $count && ($! == Errno::EAGAIN() || $! == Errno::EINTR());
  $exec->{input_offset} += $count if $count;
  return if $count && $exec->{input_offset} < length ${ $exec->{input} };
  unwatch_and_close($exec, 'input_fh');    # all written, or the command closed its stdin
  $exec->{input} = \'';
}

sub unwatch_and_close {    # $holder->{$key} is a pipe or socket the loop may watch
  my ($holder, $key) = @_;
  my $fh = delete $holder->{$key} or return;
  unwatch($fh);
  close $fh;
}

# The command's process group is dead, but a process that left the group may still hold the
# pipes open: read what is there now instead of waiting for an end of file.
sub drain {
  my ($exec, $name) = @_;
  for (1 .. DRAIN_READS) {
    my $fh = $exec->{$name}{fh} or last;
    my $count = sysread($fh, my $chunk, READ_CHUNK);
    last unless $count;
    keep_output($exec, $name, $chunk);
  }
  unwatch_and_close($exec->{$name}, 'fh');
}

sub finish_exec {
  my ($exec, $status) = @_;
  kill '-KILL', $exec->{pid};    # background children must not outlive the command
  drain($exec, $_) for qw(stdout stderr);
  unwatch_and_close($exec, 'input_fh');
  delete $execs{ $exec->{id} };
  my $signal = $status & 127;
  my ($out, $err) = @$exec{qw(stdout stderr)};
  reply({
    type => 'exit', id => $exec->{id},
    exitCode => $signal ? undef : num($status >> 8),
    signal => $signal ? ($SIGNAL_NAMES[$signal] // "SIG$signal") : undef,
    timedOut => $exec->{timed_out} ? $TRUE : $FALSE,
    durationMs => num(sprintf('%.1f', (now() - $exec->{started}) * 1000)),
    stdout => kept_output($out), stderr => kept_output($err),
    stdoutBytes => num($out->{total}), stderrBytes => num($err->{total}),
    truncated => $out->{total} > $exec->{max} || $err->{total} > $exec->{max} ? $TRUE : $FALSE,
  });
}

sub kill_exec {
  my ($request) = @_;
  my $exec = $execs{ $request->{execId} } or return reply_error($request->{id}, 'unknown_exec',
    "no running command has id $request->{execId}");
  kill "-$request->{signal}", $exec->{pid};
  reply({ type => 'ok', id => $request->{id} });
}

# ---- read and write ------------------------------------------------------------------------
sub read_file {
  my ($request) = @_;
  my ($id, $max, $path) = ($request->{id}, $request->{maxBytes}, to_bytes($request->{path}));
  if (!stat $path) {
    return reply({ type => 'file', id => $id, found => $FALSE, data => '', size => num(0),
      truncated => $FALSE }) if $! == Errno::ENOENT() || $! == Errno::ENOTDIR();
    return reply_errno($id, "cannot read $request->{path}");
  }
  return reply_error($id, 'is_directory', "$request->{path} is a directory") if -d _;
  # Opening a FIFO or a device could block the agent forever.
  return reply_error($id, 'not_a_file', "$request->{path} is not a regular file") unless -f _;
  my $size = (stat _)[7];
  open(my $fh, '<:raw', $path) or return reply_errno($id, "cannot read $request->{path}");
  my $data = '';
  while (length $data < $max) {
    my $count = sysread($fh, $data, $max - length $data, length $data);
    return reply_errno($id, "cannot read $request->{path}") unless defined $count;
    last if $count == 0;
  }
  my $more = length($data) == $max && sysread($fh, my $probe, 1);
  # Files such as those in /proc report size 0: count what was read instead.
  $size = length($data) + ($more ? 1 : 0) if $size < length $data;
  reply({ type => 'file', id => $id, found => $TRUE, data => base64($data), size => num($size),
    truncated => $more ? $TRUE : $FALSE });
  undef $data;    # frees the buffer, which Perl would keep for the next call
}

sub parent_dir {
  my ($path) = @_;
  $path =~ s{(?<=[^/])/+\z}{};
  return $path =~ m{\A(.*?)/*[^/]+\z}s ? (length $1 ? $1 : $path =~ m{\A/} ? '/' : '.') : $path;
}

sub make_dirs {    # mkdir -p, leaving $! set on failure
  my ($dir) = @_;
  return 1 if -d $dir;
  my $parent = parent_dir($dir);
  return 0 if $parent ne $dir && !make_dirs($parent);
  return 1 if mkdir($dir) || ($! == Errno::EEXIST() && -d $dir);
  $! = Errno::ENOTDIR() if $! == Errno::EEXIST();
  return 0;
}

my $temp_counter = 0;

# Writes a temp file beside the target and renames it over, so readers never see half a file.
# A symlink at the path is replaced by the file, not followed.
sub write_file {
  my ($request) = @_;
  my ($id, $shown, $path) = ($request->{id}, $request->{path}, to_bytes($request->{path}));
  return reply_error($id, 'is_directory', "$shown is a directory") if -d $path;
  my $dir = parent_dir($path);
  if (!-d $dir) {
    if ($request->{parents}) {
      make_dirs($dir) or return reply_errno($id, "cannot create the directories of $shown");
    } elsif (-e $dir) {
      return reply_error($id, 'not_a_directory', "the parent of $shown is not a directory");
    } else {
      return reply_error($id, 'not_found',
        "the directory of $shown does not exist (set parents to create it)");
    }
  }
  my $data = unbase64(delete $request->{data});
  return reply_error($id, 'bad_request', 'data must be base64') unless defined $data;
  my @existing = stat $path;
  my $mode = $request->{mode} // (@existing ? $existing[2] & 07777 : 0666 & ~umask);
  my $temp = "$dir/.tandem-write-$$-" . ++$temp_counter;
  sysopen(my $fh, $temp, O_WRONLY | O_CREAT | O_EXCL, 0600)
    or return reply_errno($id, "cannot write $shown");
  my ($offset, $errno) = (0, undef);
  while (!defined $errno && $offset < length $data) {
    my $count = syswrite($fh, $data, 1 << 20, $offset);
    defined $count ? ($offset += $count) : ($errno = 0 + $!);
  }
  undef $data;    # frees the buffer, which Perl would keep for the next call
  close($fh) or $errno //= 0 + $!;    # some filesystems report a full disk only here
  if (!defined $errno) { chmod($mode, $temp) && rename($temp, $path) or $errno = 0 + $! }
  return reply({ type => 'ok', id => $id }) unless defined $errno;
  unlink $temp;
  $! = $errno;
  reply_errno($id, "cannot write $shown");
}

# ---- expose: relay a unix socket to a loopback port ----------------------------------------
# The sandbox has no network the host can reach, so the host connects to
# $PORTS_DIR/<port>.sock and the agent relays each connection to the port on the sandbox's own
# loopback. Once the port answers, the agent first sends the request's greeting: the host
# reaches the socket through a folder the sandbox can change (a symlink there could lead it to
# any socket of the host), and no socket of the host sends this sandbox's greeting.
my $PORTS_DIR = delete $ENV{TANDEM_AGENT_PORTS_DIR} // '/run/tandem/ports';    # set by tests
my %ports;    # port => { fh => listening socket, greeting => bytes }

# struct sockaddr_un, sockaddr_in and sockaddr_in6, as Socket.pm would pack them.
sub unix_address { pack('S a* x', AF_UNIX, $_[0]) }
sub loopback_addresses {    # IPv4 first; dev servers bound to "localhost" may be on ::1 only
  my ($port) = @_;
  return ([AF_INET, pack('S n a4 x8', AF_INET, $port, "\x7f\0\0\x01")],
    [AF_INET6, pack('S n N a16 N', AF_INET6, $port, 0, ("\0" x 15) . "\x01", 0)]);
}

sub expose_port {    # idempotent: exposing an exposed port only refreshes its greeting
  my ($request) = @_;
  my ($id, $port) = @$request{qw(id port)};
  # A wide character would make syswrite die outside any request's eval.
  return reply_error($id, 'bad_request', 'greeting must be printable ASCII')
    if $request->{greeting} =~ tr/\x20-\x7e//c;
  my $path = "$PORTS_DIR/$port.sock";
  my $exposed = $ports{$port};
  if ($exposed && -S $path) {
    $exposed->{greeting} = $request->{greeting};
    return reply({ type => 'ok', id => $id });
  }
  unwatch_and_close($exposed, 'fh') if $exposed;    # its socket file was removed
  make_dirs($PORTS_DIR) or return reply_errno($id, "cannot create $PORTS_DIR");
  unlink $path;    # whatever a process in the sandbox left there
  my $fh;
  socket($fh, AF_UNIX, SOCK_STREAM, 0) && bind($fh, unix_address($path))
    && listen($fh, LISTEN_BACKLOG) or return reply_errno($id, "cannot listen on $path");
  set_nonblocking($fh);
  my $listener = $ports{$port} = { fh => $fh, greeting => $request->{greeting} };
  watch_read($fh, sub { accept_relay($port, $listener) });
  reply({ type => 'ok', id => $id });
}

sub accept_relay {
  my ($port, $listener) = @_;
  accept(my $client, $listener->{fh}) or return;    # EAGAIN: nothing was waiting after all
  set_nonblocking($client);
  connect_relay({ client => $client, greeting => $listener->{greeting},
    addresses => [loopback_addresses($port)] });
}

# Tries the next loopback address; closing the client without a greeting tells the host that
# nothing listens on the port.
sub connect_relay {
  my ($relay) = @_;
  my ($family, $address) = @{ shift @{ $relay->{addresses} } // return close_relay($relay) };
  socket(my $server, $family, SOCK_STREAM, 0) or return connect_relay($relay);
  set_nonblocking($server);
  $relay->{server} = $server;
  connecting($relay, $address);
}

# Calls connect again while the first, non-blocking one is under way: it reports how that ended.
sub connecting {
  my ($relay, $address) = @_;
  my $server = $relay->{server};
  return start_relay($relay) if connect($server, $address) || $! == Errno::EISCONN();
  return watch_write($server, sub { connecting($relay, $address) })
    if $! == Errno::EINPROGRESS() || $! == Errno::EALREADY() || $! == Errno::EINTR();
  unwatch_and_close($relay, 'server');
  connect_relay($relay);
}

sub start_relay {
  my ($relay) = @_;
  my ($client, $server) = @$relay{qw(client server)};
  unwatch($server);
  $relay->{open} = 2;
  flush($relay, { from => $client, to => $server, buffer => '', offset => 0 });
  flush($relay, { from => $server, to => $client, buffer => delete $relay->{greeting},
    offset => 0 });
}

# Writes what the flow holds, then reads more: one chunk in flight per direction, so a slow
# reader holds back its writer instead of growing the agent's memory.
sub flush {
  my ($relay, $flow) = @_;
  while ($flow->{offset} < length $flow->{buffer}) {
    my $count = syswrite($flow->{to}, $flow->{buffer}, READ_CHUNK, $flow->{offset});
    if (!defined $count) {
      return close_relay($relay) unless $! == Errno::EAGAIN() || $! == Errno::EINTR();
      return watch_write($flow->{to}, sub { flush($relay, $flow) });
    }
    $flow->{offset} += $count;
  }
  delete $writers{ fileno $flow->{to} };
  $flow->{offset} = 0;
  return watch_read($flow->{from}, sub { pump($relay, $flow) }) unless $flow->{ended};
  shutdown($flow->{to}, SHUT_WR);    # pass the end on; the other direction may go on
  close_relay($relay) if --$relay->{open} == 0;
}

sub pump {
  my ($relay, $flow) = @_;
  my $count = sysread($flow->{from}, $flow->{buffer}, READ_CHUNK);
  if (!defined $count) {
    return if $! == Errno::EAGAIN() || $! == Errno::EINTR();
    return close_relay($relay);    # reset by either side: drop both
  }
  delete $readers{ fileno $flow->{from} };
  $flow->{ended} = 1 unless $count;
  flush($relay, $flow);
}

sub close_relay {
  my ($relay) = @_;
  unwatch_and_close($relay, $_) for qw(client server);
  # The flows' closures refer to $relay; dropping the watchers above lets it all be freed.
}

# ---- The loop ------------------------------------------------------------------------------
sub watch_read  { $readers{ fileno $_[0] } = [@_] }
sub watch_write { $writers{ fileno $_[0] } = [@_] }
sub unwatch { delete $readers{ fileno $_[0] }; delete $writers{ fileno $_[0] } }

sub shut_down {
  kill '-KILL', $_->{pid} for values %execs;
  exit 0;
}
$SIG{TERM} = $SIG{HUP} = \&shut_down;

# SIGCHLD writes to a pipe that select() watches, so a command's end wakes the loop.
pipe(my $wake_r, my $wake_w) or die "pipe: $!";
set_nonblocking($_) for $wake_r, $wake_w;
$SIG{CHLD} = sub { syswrite($wake_w, 'x') };
watch_read($wake_r, sub { sysread($wake_r, my $ignored, 4096) });

my ($pending, $scanned) = ('', 0);    # unfinished request line; how much of it has no newline
watch_read(\*STDIN, sub {
  my $count = sysread(STDIN, $pending, READ_CHUNK, length $pending);
  return if !defined $count && $! == Errno::EINTR();
  my $at;
  while (($at = index($pending, "\n", $scanned)) >= 0) {
    handle_line(substr($pending, 0, $at + 1, ''));
    forget_line() if $at >= LONG_LINE;
    $scanned = 0;
  }
  $scanned = length $pending;
  if (!$scanned) {    # let go of the buffer a long line grew
    undef $pending;
    $pending = '';
  }
  return if $count;
  handle_line($pending);    # a last line without a newline
  shut_down();              # the host closed our stdin, or it failed
});

while (1) {
  my $timeout = %execs ? SAFETY_WAKE_S : undef;    # undef: nothing runs, wait for requests
  for my $exec (grep { !$_->{timed_out} } values %execs) {
    my $left = $exec->{deadline} - now();
    $timeout = $left < 0 ? 0 : $left if $left < $timeout;
  }
  my ($read_bits, $write_bits) = ('', '');
  vec($read_bits, $_, 1) = 1 for keys %readers;
  vec($write_bits, $_, 1) = 1 for keys %writers;
  if (select($read_bits, $write_bits, undef, $timeout) > 0) {
    # A callback may close and reopen descriptors; a stale bit only costs one EAGAIN read.
    for my $fd (keys %readers) { $readers{$fd}[1]->() if vec($read_bits, $fd, 1) && $readers{$fd} }
    for my $fd (keys %writers) { $writers{$fd}[1]->() if vec($write_bits, $fd, 1) && $writers{$fd} }
  }
  while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
    # Anything else is an orphan this agent adopted as pid 1.
    finish_exec(delete $exec_by_pid{$pid}, $?) if $exec_by_pid{$pid};
  }
  for my $exec (values %execs) {
    next if $exec->{timed_out} || now() < $exec->{deadline};
    $exec->{timed_out} = 1;
    kill '-KILL', $exec->{pid};
  }
}
