/*
 * A real SCTP peer for interoperability tests: usrsctp (the SCTP stack of Firefox, and of Chrome before
 * dcsctp) over UDP on loopback, with SCTP packets carried as WebRTC carries them over DTLS (AF_CONN).
 *
 * usage: usrsctp_peer client|server [udp port of the other side, 0 to learn it from the first datagram]
 * Prints "PORT <n>" with its own UDP port, then echoes every message on the stream and PPID it came on.
 * When the other side resets a stream, it resets its own outgoing side of it too (as data channels do).
 * Prints "RESET <in|out> <stream>" for reset events, "CLOSED" when the association ends.
 * Commands on stdin make it send what only the other side's requests test: "reset-in <stream>" (an Incoming
 * SSN Reset Request, RFC 6525 5.1.3), "reset-assoc" (an SSN/TSN Reset Request, 5.1.4), "hb <ms>" (its
 * heartbeat interval); it prints "RESETDENIED", "ASSOCRESET ok|denied|failed", "OK <command>".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <usrsctp.h>

static int udp;
static volatile int connected_udp;
static char anchor; /* the AF_CONN address is a pointer; any stable one will do */
static struct socket *volatile conn_sock;

static int conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df) {
    (void) addr; (void) tos; (void) set_df;
    if (!connected_udp) {
        return 0;
    }
    if (send(udp, buf, len, 0) < 0) {
        return errno;
    }
    return 0;
}

static void *udp_reader(void *arg) {
    (void) arg;
    char buf[65536];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(udp, buf, sizeof(buf), 0, (struct sockaddr *) &from, &fl);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (!connected_udp) {
            connect(udp, (struct sockaddr *) &from, fl);
            connected_udp = 1;
        }
        usrsctp_conninput(&anchor, buf, (size_t) n, 0);
    }
    return NULL;
}

static void reset_outgoing(struct socket *s, uint16_t stream) {
    size_t len = sizeof(struct sctp_reset_streams) + sizeof(uint16_t);
    struct sctp_reset_streams *srs = calloc(1, len);
    srs->srs_flags = SCTP_STREAM_RESET_OUTGOING;
    srs->srs_number_streams = 1;
    srs->srs_stream_list[0] = stream;
    if (usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs, (socklen_t) len) < 0) {
        printf("RESETFAILED %u %d\n", stream, errno);
    }
    free(srs);
}

static void *commands(void *arg) {
    (void) arg;
    char line[256];
    while (fgets(line, sizeof(line), stdin) != NULL) {
        struct socket *c = conn_sock;
        unsigned v = 0;
        int rc = -1;
        if (c == NULL) {
            printf("NOTCONNECTED\n");
        } else if (sscanf(line, "reset-in %u", &v) == 1) {
            size_t len = sizeof(struct sctp_reset_streams) + sizeof(uint16_t);
            struct sctp_reset_streams *srs = calloc(1, len);
            srs->srs_flags = SCTP_STREAM_RESET_INCOMING;
            srs->srs_number_streams = 1;
            srs->srs_stream_list[0] = (uint16_t) v;
            rc = usrsctp_setsockopt(c, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs, (socklen_t) len);
            free(srs);
        } else if (strncmp(line, "reset-assoc", 11) == 0) {
            sctp_assoc_t id = 0;
            rc = usrsctp_setsockopt(c, IPPROTO_SCTP, SCTP_RESET_ASSOC, &id, sizeof(id));
        } else if (sscanf(line, "hb %u", &v) == 1) {
            struct sctp_paddrparams pp = {0};
            struct sockaddr_conn *to = (struct sockaddr_conn *) &pp.spp_address;
            to->sconn_family = AF_CONN;
            to->sconn_port = htons(5000);
            to->sconn_addr = &anchor;
            pp.spp_flags = SPP_HB_ENABLE;
            pp.spp_hbinterval = v;
            rc = usrsctp_setsockopt(c, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp));
        }
        line[strcspn(line, "\n")] = 0;
        if (rc == 0) {
            printf("OK %s\n", line);
        } else {
            printf("FAILED %s %d\n", line, errno);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s client|server [udp-port]\n", argv[0]);
        return 2;
    }
    int client = strcmp(argv[1], "client") == 0;
    int remote = argc > 2 ? atoi(argv[2]) : 0;
    setvbuf(stdout, NULL, _IOLBF, 0);

    udp = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = {0};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(udp, (struct sockaddr *) &sin, sizeof(sin)) < 0) {
        perror("bind");
        return 1;
    }
    socklen_t sl = sizeof(sin);
    getsockname(udp, (struct sockaddr *) &sin, &sl);
    if (remote) {
        struct sockaddr_in to = {0};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        to.sin_port = htons((uint16_t) remote);
        connect(udp, (struct sockaddr *) &to, sizeof(to));
        connected_udp = 1;
    }
    usrsctp_init(0, conn_output, NULL);
    usrsctp_sysctl_set_sctp_pr_enable(1);
    usrsctp_sysctl_set_sctp_reconfig_enable(1);
    usrsctp_register_address(&anchor);
    pthread_t reader;
    pthread_create(&reader, NULL, udp_reader, NULL);

    struct socket *s = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (s == NULL) {
        perror("usrsctp_socket");
        return 1;
    }
    int on = 1;
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
    struct sctp_assoc_value av = {0};
    av.assoc_id = SCTP_ALL_ASSOC;
    av.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ;
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof(av));
    struct sctp_initmsg init = {0};
    init.sinit_num_ostreams = 1024;
    init.sinit_max_instreams = 1024;
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init));
    uint16_t types[] = {SCTP_STREAM_RESET_EVENT, SCTP_ASSOC_CHANGE, SCTP_ASSOC_RESET_EVENT};
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct sctp_event ev = {0};
        ev.se_assoc_id = SCTP_ALL_ASSOC;
        ev.se_type = types[i];
        ev.se_on = 1;
        usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev));
    }

    struct sockaddr_conn sconn = {0};
    sconn.sconn_family = AF_CONN;
    sconn.sconn_port = htons(5000);
    sconn.sconn_addr = &anchor;
    if (usrsctp_bind(s, (struct sockaddr *) &sconn, sizeof(sconn)) < 0) {
        perror("usrsctp_bind");
        return 1;
    }
    if (!client) {
        usrsctp_listen(s, 1);
    }
    /* only now: an INIT that arrived before the listen would be answered with ABORT */
    printf("PORT %d\n", ntohs(sin.sin_port));
    struct socket *conn = s;
    if (client) {
        if (usrsctp_connect(s, (struct sockaddr *) &sconn, sizeof(sconn)) < 0 && errno != EINPROGRESS) {
            perror("usrsctp_connect");
            return 1;
        }
    } else {
        conn = usrsctp_accept(s, NULL, NULL);
        if (conn == NULL) {
            perror("usrsctp_accept");
            return 1;
        }
        usrsctp_setsockopt(conn, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
    }

    conn_sock = conn;
    pthread_t cmd;
    pthread_create(&cmd, NULL, commands, NULL);
    size_t cap = 1 << 20, have = 0;
    char *msg = malloc(cap);
    for (;;) {
        char buf[65536];
        struct sctp_rcvinfo rcv;
        socklen_t infolen = sizeof(rcv);
        unsigned int infotype = 0;
        int flags = 0;
        struct sockaddr_conn from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = usrsctp_recvv(conn, buf, sizeof(buf), (struct sockaddr *) &from, &fromlen, &rcv, &infolen,
                                  &infotype, &flags);
        if (n <= 0) {
            printf("CLOSED\n");
            break;
        }
        if (flags & MSG_NOTIFICATION) {
            union sctp_notification *sn = (union sctp_notification *) buf;
            if (sn->sn_header.sn_type == SCTP_STREAM_RESET_EVENT) {
                struct sctp_stream_reset_event *e = &sn->sn_strreset_event;
                int count = (int) ((e->strreset_length - sizeof(*e)) / sizeof(uint16_t));
                if (e->strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) {
                    printf("RESETDENIED\n");
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    uint16_t st = e->strreset_stream_list[i];
                    if (e->strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN) {
                        printf("RESET in %u\n", st);
                        reset_outgoing(conn, st);
                    }
                    if (e->strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN) {
                        printf("RESET out %u\n", st);
                    }
                }
            } else if (sn->sn_header.sn_type == SCTP_ASSOC_RESET_EVENT) {
                uint16_t f = sn->sn_assocreset_event.assocreset_flags;
                printf("ASSOCRESET %s\n", (f & SCTP_ASSOC_RESET_DENIED) ? "denied"
                       : (f & SCTP_ASSOC_RESET_FAILED) ? "failed" : "ok");
            } else if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
                printf("ASSOC %u\n", sn->sn_assoc_change.sac_state);
                if (sn->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP
                    || sn->sn_assoc_change.sac_state == SCTP_COMM_LOST) {
                    printf("CLOSED\n");
                    break;
                }
            }
            continue;
        }
        if (have + (size_t) n > cap) {
            cap = (have + (size_t) n) * 2;
            msg = realloc(msg, cap);
        }
        memcpy(msg + have, buf, (size_t) n);
        have += (size_t) n;
        if (!(flags & MSG_EOR)) {
            continue;
        }
        struct sctp_sndinfo snd = {0};
        snd.snd_sid = rcv.rcv_sid;
        snd.snd_ppid = rcv.rcv_ppid;
        snd.snd_flags = (rcv.rcv_flags & SCTP_UNORDERED) ? SCTP_UNORDERED : 0;
        size_t off = 0;
        while (off < have || have == 0) {
            ssize_t w = usrsctp_sendv(conn, msg + off, have - off, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0);
            if (w < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
                    usleep(1000);
                    continue;
                }
                printf("SENDFAILED %d\n", errno);
                break;
            }
            off += (size_t) w;
            if (have == 0) break;
        }
        have = 0;
    }
    usrsctp_close(conn);
    return 0;
}
