#!/usr/bin/env python3
"""One timeline of a measured `peer` set-up from both processes' logs (issue 23).

Run peer-bench.sh with KEEP_TMP=DIR RUNS_SETUP=1 RUNS_BULK=0 and -Drtc4j.trace.setup=true in ANSWER_JAVA_OPTS and
OFFER_JAVA_OPTS, then: bench/scripts/setup-timeline.py DIR [--brief]. The measured connection's lines (those after
"peer ... ready": the warm-up's come before) of SetupTrace and PeerSteps are merged on their absolute microseconds,
relative to the offerer's start (just before createOffer), O for the offerer and A for the answerer, with the gap
to the previous line; [cpu ms] is the process's CPU since its first step.
"""
import re
import sys

BRIEF = ['start', 'gathered', 'offer-out', 'offer-in', 'offer-set', 'answer-out', 'answer-in', 'answer-set',
         'out:stun-check', 'in:stun-ok', 'out:dtls-ClientHello', 'in:dtls-ClientHello', 'out:dtls-ServerHello',
         'in:dtls-ServerHello', 'out:dtls-finished', 'in:dtls-finished', 'dtls-Connected', 'in:sctp-init',
         'in:sctp-cookie-echo', 'channel-open', 'open-seen', 'channel']


def events(path, who):
    out, ready = [], False
    for line in open(path, errors='replace'):
        if re.search(r'peer (offer|answer) ready', line):
            ready = True
            continue
        m = re.search(r'(setup trace \(\w+\)|peer steps) t0_us=(\d+) ms:(.*)', line)
        if not ready or not m:
            continue
        for tok in m.group(3).split():
            name, _, at = tok.rpartition('@')
            ms, _, cpu = at.partition('#')
            out.append((int(m.group(2)) + float(ms) * 1000, who, name, cpu))
    return out


def main():
    d, brief = sys.argv[1], '--brief' in sys.argv
    ev = sorted(events(f'{d}/offer.err', 'O') + events(f'{d}/answer.err', 'A'))
    start = min(t for t, w, n, c in ev if w == 'O' and n == 'start')
    last = start
    for t, who, name, cpu in ev:
        if brief and name not in BRIEF:
            continue
        print(f'{(t - start) / 1000:8.2f} {(t - last) / 1000:+7.2f} {who} {name}' + (f'  [cpu {cpu}]' if cpu else ''))
        last = t


if __name__ == '__main__':
    main()
