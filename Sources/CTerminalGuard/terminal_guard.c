/* Terminal hygiene: the tty state saved before curses starts, restored on every way out (q, a quit
   signal, Ctrl-Z, a crash). C of its own, compiled once: the state below must exist once in the
   process. As static inline functions in the ncurses shim it did not: Swift emits a copy of a static
   inline C function, with its function-local static, into every object file that calls it, and a
   release build's cross-file inlining of the Swift wrapper put a second copy in CursesScreen.swift's
   object: the crash handler read a "curses active" flag nobody had set and left the screen drawn. */
#define _GNU_SOURCE
#include "terminal_guard.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct dln_state {
    struct termios tty;
    volatile sig_atomic_t saved;
    volatile sig_atomic_t quit;
    volatile sig_atomic_t curses;
    volatile sig_atomic_t suspend;
    struct sigaction previous[65];
};

static struct dln_state dln_the_state;

static struct dln_state *dln_state(void) { return &dln_the_state; }

int dln_tty_save(void) {
    if (tcgetattr(STDIN_FILENO, &dln_state()->tty) != 0) return -1;
    dln_state()->saved = 1;
    return 0;
}

/* Puts the tty back as it was at start: async-signal-safe (tcsetattr and write only). */
void dln_tty_restore(void) {
    if (dln_state()->saved) tcsetattr(STDIN_FILENO, TCSADRAIN, &dln_state()->tty);
}

/* After a crash curses cannot be trusted: leave the alternate screen, reset attributes, show the
   cursor, leave keypad mode, then restore the tty. */
static void dln_tty_emergency(void) {
    if (dln_state()->curses) {
        static const char reset[] = "\033[0m\033[?1049l\033[?25h\033[?1l\033>\r\n";
        ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
        (void)ignored;
        dln_state()->curses = 0;
    }
    dln_tty_restore();
}

void dln_set_curses_active(int on) { dln_state()->curses = on; }

static void dln_fatal_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    dln_tty_emergency();
    /* Other threads may still be drawing: send curses's later output nowhere, so that the crash
       report (on stderr) lands on a clean screen. */
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) { dup2(null, STDOUT_FILENO); close(null); }
    if (info != NULL && info->si_code <= 0 && info->si_pid != getpid()) {
        /* Sent by another process (kill, sigqueue, tgkill: si_code <= 0; abort() and raise() are
           SI_TKILL from our own pid): no instruction will fault again and no abort()
           will follow once the handlers return, and Swift's backtracer returns expecting one, so
           the process would live on with its screen gone. Die of it now, as the default action
           would (there is no crash to report). */
        signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        raise(sig);
        _exit(128 + sig);
    }
    /* A real fault or abort(): hand the signal to whoever had it before (Swift's backtracer, or
       the default action); it is delivered when this handler returns, in the faulting context,
       and the fault (or abort) recurs under the default action. */
    if (sig > 0 && sig < 65) sigaction(sig, &dln_state()->previous[sig], NULL);
    raise(sig);
}

static void dln_quit_handler(int sig) {
    if (dln_state()->quit != 0) {
        /* A second request while the first is being handled: stop waiting. */
        dln_tty_emergency();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    dln_state()->quit = sig;
}

/* Ctrl-Z only raises a flag: the kernel may deliver SIGTSTP to any thread that does not block it
   (OpenBLAS starts its threads before main runs), and ncurses's own handler would then call
   curses from that thread while the main thread draws. The curses thread suspends itself. */
static void dln_suspend_handler(int sig) {
    (void)sig;
    dln_state()->suspend = 1;
}

static void dln_install_suspend_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = dln_suspend_handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &sa, NULL);
}

/* Whether Ctrl-Z was pressed since the last call. */
int dln_take_suspend_request(void) {
    if (dln_state()->suspend == 0) return 0;
    dln_state()->suspend = 0;
    return 1;
}

/* Stops the process the way the shell expects (default SIGTSTP), returns after SIGCONT with the
   handler back in place. The caller has ended curses and restored the tty first. */
void dln_stop_self(void) {
    signal(SIGTSTP, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), SIGTSTP);
    /* A Ctrl-Z pressed while curses was ending asked for the stop that just happened. */
    dln_state()->suspend = 0;
    dln_install_suspend_handler();
}

/* SIGINT, SIGTERM, SIGHUP ask the main loop to quit (it restores the terminal and exits);
   Ctrl-Z asks it to suspend; crash signals restore the terminal and re-raise. Installed before
   curses starts, so ncurses leaves these signals to us. */
void dln_install_signal_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = dln_quit_handler;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    dln_install_suspend_handler();
    int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction f;
        memset(&f, 0, sizeof f);
        sigemptyset(&f.sa_mask);
        f.sa_sigaction = dln_fatal_handler;
        f.sa_flags = SA_ONSTACK | SA_SIGINFO;
        sigaction(fatal[i], &f, &dln_state()->previous[fatal[i]]);
    }
}

/* The quit signal received so far (0 if none). */
int dln_pending_quit_signal(void) { return dln_state()->quit; }

/* For threads other than the one running curses: job-control, resize and quit signals then go to
   the curses thread or, on threads started before main (OpenBLAS's), only raise flags. */
void dln_block_async_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGCONT);
    sigaddset(&set, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}
