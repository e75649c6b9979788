/*
 * spyglass-inotify: the smallest binding that gives the FIM watcher what it needs from
 * inotify and that off-the-shelf watchers hide: the raw event stream (IN_Q_OVERFLOW included),
 * per-watch errors as errno values (ENOSPC = watch limit) and a reader that never lets the
 * kernel queue fill while JavaScript is busy hashing.
 *
 * A reader thread blocks in poll()/read() on the inotify fd and hands each chunk of raw
 * `struct inotify_event` records to JavaScript through a thread-safe function; the JS side
 * parses them. The chunks waiting for JS are bounded (MAX_PENDING_BYTES): past it the reader
 * drops the chunk and delivers a synthetic IN_Q_OVERFLOW record, so overload is reported as an
 * overflow (and answered by a rescan), never silent and never unbounded memory.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <sys/inotify.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <stdio.h>
#include <fcntl.h>

#define READ_SIZE (256 * 1024)
#define MAX_PENDING_BYTES (64L * 1024 * 1024)

typedef struct {
  int fd;
  int stop_pipe[2];
  pthread_t thread;
  napi_threadsafe_function tsfn;
  atomic_long pending;
  atomic_long dropped;
  int closed;
} watcher_t;

typedef struct { watcher_t *w; size_t len; char data[]; } chunk_t;

static void overflow_chunk(watcher_t *w) {
  chunk_t *c = malloc(sizeof(chunk_t) + sizeof(struct inotify_event));
  if (!c) return;
  struct inotify_event ev = { .wd = -1, .mask = IN_Q_OVERFLOW, .cookie = 0, .len = 0 };
  c->w = w; c->len = sizeof ev; memcpy(c->data, &ev, sizeof ev);
  atomic_fetch_add(&w->pending, (long)c->len);
  if (napi_call_threadsafe_function(w->tsfn, c, napi_tsfn_blocking) != napi_ok) free(c);
}

static void *reader(void *arg) {
  watcher_t *w = arg;
  char *buf = malloc(READ_SIZE);
  int overflowed = 0;
  for (;;) {
    struct pollfd fds[2] = { { w->fd, POLLIN, 0 }, { w->stop_pipe[0], POLLIN, 0 } };
    int r = poll(fds, 2, -1);
    if (r < 0) { if (errno == EINTR) continue; break; }
    if (fds[1].revents) break;
    if (!(fds[0].revents & POLLIN)) continue;
    for (;;) {
      ssize_t n = read(w->fd, buf, READ_SIZE);
      if (n <= 0) break;
      if (atomic_load(&w->pending) + n > MAX_PENDING_BYTES) {
        atomic_fetch_add(&w->dropped, 1);
        if (!overflowed) { overflowed = 1; overflow_chunk(w); }
        continue;
      }
      overflowed = 0;
      chunk_t *c = malloc(sizeof(chunk_t) + (size_t)n);
      if (!c) continue;
      c->w = w; c->len = (size_t)n; memcpy(c->data, buf, (size_t)n);
      atomic_fetch_add(&w->pending, n);
      if (napi_call_threadsafe_function(w->tsfn, c, napi_tsfn_blocking) != napi_ok) { free(c); goto out; }
    }
  }
out:
  free(buf);
  return NULL;
}

static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  chunk_t *c = data;
  if (env != NULL && js_cb != NULL) {
    napi_value buffer, undefined;
    void *dst;
    if (napi_create_buffer_copy(env, c->len, c->data, &dst, &buffer) == napi_ok) {
      napi_get_undefined(env, &undefined);
      napi_call_function(env, undefined, js_cb, 1, &buffer, NULL);
    }
  }
  atomic_fetch_sub(&c->w->pending, (long)c->len);
  free(c);
}

static void finalize_tsfn(napi_env env, void *data, void *hint) {
  watcher_t *w = data;
  free(w);
}

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

/* open(callback(Buffer)) -> External handle */
static napi_value w_open(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  watcher_t *w = calloc(1, sizeof *w);
  w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->fd < 0) { int e = errno; free(w); return throw_errno(env, "inotify_init1", e); }
  if (pipe2(w->stop_pipe, O_CLOEXEC) < 0) { int e = errno; close(w->fd); free(w); return throw_errno(env, "pipe2", e); }
  napi_value name;
  napi_create_string_utf8(env, "spyglass-inotify", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, w, finalize_tsfn, NULL, call_js, &w->tsfn) != napi_ok) {
    close(w->fd); close(w->stop_pipe[0]); close(w->stop_pipe[1]); free(w);
    napi_throw_error(env, NULL, "napi_create_threadsafe_function failed");
    return NULL;
  }
  if (pthread_create(&w->thread, NULL, reader, w) != 0) {
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    napi_throw_error(env, NULL, "pthread_create failed");
    return NULL;
  }
  napi_value ext;
  napi_create_external(env, w, NULL, NULL, &ext);
  return ext;
}

static watcher_t *get_watcher(napi_env env, napi_value v) {
  void *p = NULL;
  napi_get_value_external(env, v, &p);
  return p;
}

/* addWatch(handle, path, mask) -> wd, or -errno */
static napi_value w_add(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  watcher_t *w = get_watcher(env, argv[0]);
  char path[4096 + 1]; size_t len;
  uint32_t mask;
  napi_get_value_string_utf8(env, argv[1], path, sizeof path, &len);
  napi_get_value_uint32(env, argv[2], &mask);
  napi_value out;
  if (!w || w->closed) { napi_create_int32(env, -EBADF, &out); return out; }
  if (len >= sizeof path - 1) { napi_create_int32(env, -ENAMETOOLONG, &out); return out; }
  int wd = inotify_add_watch(w->fd, path, mask);
  napi_create_int32(env, wd < 0 ? -errno : wd, &out);
  return out;
}

/* rmWatch(handle, wd) -> 0 or -errno */
static napi_value w_rm(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  watcher_t *w = get_watcher(env, argv[0]);
  int32_t wd;
  napi_get_value_int32(env, argv[1], &wd);
  napi_value out;
  int r = (!w || w->closed) ? -EBADF : inotify_rm_watch(w->fd, wd);
  napi_create_int32(env, r < 0 ? -errno : 0, &out);
  return out;
}

/* stats(handle) -> [pendingBytes, droppedReads] */
static napi_value w_stats(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  watcher_t *w = get_watcher(env, argv[0]);
  napi_value arr, a, b;
  napi_create_array_with_length(env, 2, &arr);
  napi_create_double(env, w ? (double)atomic_load(&w->pending) : 0, &a);
  napi_create_double(env, w ? (double)atomic_load(&w->dropped) : 0, &b);
  napi_set_element(env, arr, 0, a);
  napi_set_element(env, arr, 1, b);
  return arr;
}

/* close(handle): stops the reader, closes the fd; pending chunks are discarded. */
static napi_value w_close(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  watcher_t *w = get_watcher(env, argv[0]);
  if (w && !w->closed) {
    w->closed = 1;
    ssize_t ignored = write(w->stop_pipe[1], "x", 1); (void)ignored;
    pthread_join(w->thread, NULL);
    close(w->fd); close(w->stop_pipe[0]); close(w->stop_pipe[1]);
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
  }
  return NULL;
}

/* ref(handle, bool): whether an open watcher keeps the event loop alive */
static napi_value w_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  watcher_t *w = get_watcher(env, argv[0]);
  bool on;
  napi_get_value_bool(env, argv[1], &on);
  if (w && !w->closed) {
    if (on) napi_ref_threadsafe_function(env, w->tsfn); else napi_unref_threadsafe_function(env, w->tsfn);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "open", NULL, w_open, NULL, NULL, NULL, napi_default, NULL },
    { "addWatch", NULL, w_add, NULL, NULL, NULL, napi_default, NULL },
    { "rmWatch", NULL, w_rm, NULL, NULL, NULL, napi_default, NULL },
    { "stats", NULL, w_stats, NULL, NULL, NULL, napi_default, NULL },
    { "close", NULL, w_close, NULL, NULL, NULL, napi_default, NULL },
    { "ref", NULL, w_ref, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
