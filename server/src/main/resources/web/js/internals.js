// The operator page (/internals#token=...): rooms, participants, TURN allocations and traffic over time, from
// /api/internals (the meters of /metrics, sampled by the server every few seconds). The token stays in the
// fragment, never sent in a URL, only as a bearer token.
import { timeSeries } from './plots.js';

const $ = id => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
const IN = '#8ab4f8', OUT = '#f6ae2d', GOOD = '#81c995', BAD = '#f28b82';
let charts = null;

// Tests look at the page's state from here.
window.rtc4jInternals = { loads: 0 };

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

const CHARTS = [
  { title: 'Rooms and clients', series: [['rooms', IN], ['clients', GOOD]],
    values: (row, at) => [row[at.rooms], row[at.clients]] },
  { title: 'TURN allocations', series: [['alive', GOOD]], values: (row, at) => [row[at.turn_allocations]] },
  { title: 'TURN relayed, kbit/s', series: [['to peers', OUT], ['to clients', IN]], rate: true,
    values: (row, at) => [row[at.turn_bytes_to_peer] * 8 / 1000, row[at.turn_bytes_to_client] * 8 / 1000] },
  { title: 'Signaling messages relayed, per s', series: [['messages', IN]], rate: true,
    values: (row, at) => [row[at.messages_relayed]] },
  { title: 'TURN requests refused, per s', series: [['refused (not 401/438 challenges)', BAD]], rate: true,
    values: (row, at) => [row[at.turn_rejected]] },
];

/** The charts' data from the history rows: counters become rates between consecutive samples. */
function chartData(body) {
  const at = Object.fromEntries(body.series.map((name, i) => [name, i + 1]));
  const rows = body.history;
  return CHARTS.map(c => {
    const times = [], columns = c.series.map(() => []);
    rows.forEach((row, i) => {
      if (c.rate && i === 0) return;
      const now = c.values(row, at);
      const before = c.rate ? c.values(rows[i - 1], at) : null;
      const seconds = c.rate ? (row[0] - rows[i - 1][0]) / 1000 : 1;
      times.push(row[0] / 1000);
      now.forEach((v, j) => {
        const ok = v !== null && !Number.isNaN(v) && (!c.rate || (before[j] !== null && seconds > 0));
        columns[j].push(!ok ? null : c.rate ? Math.max(0, (v - before[j]) / seconds) : v);
      });
    });
    return [times, ...columns];
  });
}

function meterValue(body, name, tags = {}) {
  const m = body.meters.find(m => m.name === name && Object.entries(tags).every(([k, v]) => m.tags[k] === v));
  return m ? m.value : undefined;
}

function card(label, value, digits = 0) {
  const div = document.createElement('div');
  div.className = 'card';
  const b = document.createElement('b');
  b.textContent = value === undefined || value === null || Number.isNaN(value) ? '–'
    : value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const span = document.createElement('span');
  span.textContent = label;
  div.append(b, span);
  return div;
}

function rowOf(...cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

function render(body) {
  $('now').replaceChildren(
    card('rooms', meterValue(body, 'rtc4j.signaling.rooms')),
    card('clients', meterValue(body, 'rtc4j.signaling.clients')),
    card('TURN allocations', meterValue(body, 'rtc4j.turn.allocations')),
    card('allocations since start', meterValue(body, 'rtc4j.turn.allocations.opened')),
    card('MB relayed to peers', (meterValue(body, 'rtc4j.turn.relayed.bytes', { direction: 'to_peer' }) ?? NaN) / 1e6, 1),
    card('MB relayed to clients', (meterValue(body, 'rtc4j.turn.relayed.bytes', { direction: 'to_client' }) ?? NaN) / 1e6, 1),
    card('messages relayed', meterValue(body, 'rtc4j.signaling.messages.relayed')));
  const data = chartData(body);
  if (!charts) {
    charts = CHARTS.map(c => {
      const box = document.createElement('div');
      $('history').append(box);
      return timeSeries(box, c.title, c.series, { width: 380, height: 160 });
    });
  }
  charts.forEach((chart, i) => chart.setData(data[i]));
  $('rooms').tBodies[0].replaceChildren(...body.rooms.map(r => rowOf(r.name, r.participants)));
  $('rooms-more').textContent = body.roomsTotal > body.roomsListed
    ? `and ${body.roomsTotal - body.roomsListed} more rooms` : (body.roomsTotal ? '' : 'No rooms now.');
  $('meters').tBodies[0].replaceChildren(...body.meters.map(m => {
    const tags = Object.entries(m.tags).map(([k, v]) => `${k}=${v}`).join(' ');
    const tr = rowOf(m.name + (tags ? ' {' + tags + '}' : ''), m.value === null ? '–' : m.value.toLocaleString('en'));
    tr.title = m.help || '';
    return tr;
  }));
}

async function load() {
  try {
    const response = await fetch('/api/internals', { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (response.status === 401) {
      status('This page needs the operator token: open the address the demo printed (…/internals#token=…).', true);
      window.rtc4jInternals.error = 401;
      return;
    }
    if (!response.ok) throw new Error('the server answered ' + response.status);
    const body = await response.json();
    render(body);
    window.rtc4jInternals.loads++;
    window.rtc4jInternals.body = body;
    const span = Math.max(0, body.history.length - 1) * body.sampleSeconds;
    status('Updated ' + new Date(body.now).toLocaleTimeString('en-GB') + ' · a sample every ' + body.sampleSeconds
      + ' s, the last ' + (span < 120 ? span + ' s' : Math.round(span / 60) + ' min'));
  } catch (err) {
    status('Cannot reach the server: ' + err.message, true);
  }
}

load();
setInterval(load, 5000);
