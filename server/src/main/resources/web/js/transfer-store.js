// The receiving disk (transfer-store-worker.js) seen from the page: each call a message to the worker.
export class Store {
  #worker = new Worker('/js/transfer-store-worker.js', { type: 'module' });
  #calls = new Map();
  #next = 1;
  /** The first failure of a call nobody waits for (a chunk's write). */
  failure = null;
  /** Called with a file's index each time one of its chunks was handled (written, or already there). */
  onWritten = null;
  /** Messages to the worker and its answers, the last of each: a stalled disk shows in the page's state. */
  progress = { posted: 0, answered: 0, lastPosted: null, lastAnswered: null };

  constructor() {
    this.#worker.onmessage = ({ data }) => {
      this.progress.answered++;
      this.progress.lastAnswered = 'written' in data ? 'written ' + data.written : 'call ' + data.id;
      if ('written' in data) {
        this.onWritten?.(data.written);
        return;
      }
      const call = this.#calls.get(data.id);
      this.#calls.delete(data.id);
      if (data.error && !call) this.failure ??= new Error(data.error);
      else if (data.error) call.reject(new Error(data.error));
      else call?.resolve(data.result);
    };
  }

  prepare(id, files) { return this.#call('prepare', [id, files.map(f => ({ index: f.index, size: f.size }))]); }
  end(index, sha256) { return this.#call('end', [index, sha256]); }
  close(index) { return this.#call('close', [index]); }
  finish(id, files, dirs) { return this.#call('finish', [id, files.map(f => ({ index: f.index, path: f.path })), dirs]); }

  /** Writes a received chunk message (its 4-byte header, then the data); the buffer moves to the worker. */
  chunk(index, c, message) {
    this.#posted('chunk ' + index + ' ' + c);
    this.#worker.postMessage({ id: 0, op: 'chunk', args: [index, c, message] }, [message]);
  }

  terminate() { this.#worker.terminate(); }

  #posted(what) {
    this.progress.posted++;
    this.progress.lastPosted = what;
  }

  #call(op, args) {
    const id = this.#next++;
    this.#posted('call ' + id + ' ' + op + (op === 'end' ? ' ' + args[0] : ''));
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#worker.postMessage({ id, op, args });
    });
  }
}
