// A progress bar per file, with bytes, rate and time left (the page and the call's chat panel share it).
export class FileProgress {
  constructor(list, name, size) {
    this.size = size;
    this.done = 0;
    this.start = performance.now();
    this.li = document.createElement('li');
    this.li.className = 'file-progress';
    const label = document.createElement('span');
    label.textContent = name;
    this.detail = document.createElement('span');
    this.detail.className = 'detail';
    this.bar = document.createElement('progress');
    this.bar.max = Math.max(1, size);
    this.li.append(label, this.detail, this.bar);
    list.append(this.li);
    this.render();
  }

  /** Bytes already there when this connection started (a resume). */
  present(bytes) {
    this.done = bytes;
    this.base = bytes;
    this.start = performance.now();
    this.render();
  }

  add(bytes) {
    this.done += bytes;
    const now = performance.now();
    if (!this.last || now - this.last > 200 || this.done >= this.size) {
      this.last = now;
      this.render();
    }
  }

  verified(text = 'verified (SHA-256)') {
    this.done = this.size;
    this.render();
    this.li.classList.add('verified');
    this.detail.textContent = mb(this.size) + ' · ' + text;
  }

  /** Replaces the name with a link to the received file. */
  link(href, name) {
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    a.textContent = this.li.firstChild.textContent;
    this.li.firstChild.replaceWith(a);
  }

  render() {
    this.bar.value = this.done;
    const seconds = (performance.now() - this.start) / 1000;
    const rate = seconds > 0.5 ? (this.done - (this.base || 0)) / seconds : 0;
    const left = rate > 0 ? Math.ceil((this.size - this.done) / rate) : null;
    this.detail.textContent = mb(this.done) + ' of ' + mb(this.size)
        + (rate > 0 && this.done < this.size ? ' · ' + mb(rate) + '/s · ' + left + ' s left' : '');
  }
}

export function mb(bytes) {
  return bytes >= 1e6 ? (bytes / 1e6).toFixed(1) + ' MB' : bytes >= 1e3 ? (bytes / 1e3).toFixed(1) + ' kB' : bytes + ' B';
}

/** Files and folders dropped (DataTransfer items): [{path, file}] with folders' structure, {path, directory: true} per folder. */
export async function droppedFiles(dataTransfer) {
  const out = [];
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      out.push({ path: prefix + entry.name, file: await new Promise((res, rej) => entry.file(res, rej)) });
    } else if (entry.isDirectory) {
      out.push({ path: prefix + entry.name, directory: true }); // kept even when empty
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e, prefix + entry.name + '/');
      }
    }
  };
  const entries = [...dataTransfer.items].map(i => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length) {
    for (const e of entries) await walk(e, '');
  } else {
    for (const f of dataTransfer.files) out.push({ path: f.name, file: f });
  }
  return out;
}
