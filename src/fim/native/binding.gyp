{
  "targets": [
    {
      "target_name": "spyglass_inotify",
      "sources": ["inotify.c"],
      "cflags": ["-O2", "-Wall", "-std=gnu11"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
