/** Raw inotify binding; see inotify.c. */
export type InotifyHandle = { readonly __inotify: unique symbol };
export function open(onChunk: (chunk: Buffer) => void): InotifyHandle;
/** watch descriptor, or -errno */
export function addWatch(handle: InotifyHandle, path: string, mask: number): number;
export function rmWatch(handle: InotifyHandle, wd: number): number;
/** [bytes waiting for JavaScript, chunks dropped as overflow] */
export function stats(handle: InotifyHandle): [number, number];
export function close(handle: InotifyHandle): void;
export function ref(handle: InotifyHandle, on: boolean): void;
