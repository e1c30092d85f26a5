"""A libsrtp peer for LibsrtpInteropTest, through Debian's python3-pylibsrtp (the binding aiortc uses).

stdin, one command a line; stdout, one answer a line (hex, or "ERR <reason>"):
  KEY <profile> <master key + salt hex>   make an outbound and an inbound session
  P <hex> / U <hex>                       protect / unprotect RTP
  PC <hex> / UC <hex>                     protect / unprotect RTCP
"""
import sys

import pylibsrtp

PROFILES = {
    "AES_CM_128_HMAC_SHA1_80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES_CM_128_HMAC_SHA1_32": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
    "AEAD_AES_128_GCM": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
    "AEAD_AES_256_GCM": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_256_GCM,
}

outbound = inbound = None
for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    try:
        if parts[0] == "KEY":
            key = bytes.fromhex(parts[2])
            profile = PROFILES[parts[1]]
            outbound = pylibsrtp.Session(pylibsrtp.Policy(
                key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND, srtp_profile=profile))
            inbound = pylibsrtp.Session(pylibsrtp.Policy(
                key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND, srtp_profile=profile))
            answer = "OK"
        else:
            data = bytes.fromhex(parts[1])
            op = {"P": outbound.protect, "U": inbound.unprotect,
                  "PC": outbound.protect_rtcp, "UC": inbound.unprotect_rtcp}[parts[0]]
            answer = op(data).hex()
    except Exception as e:  # report, keep serving
        answer = "ERR " + repr(e).replace("\n", " ")
    sys.stdout.write(answer + "\n")
    sys.stdout.flush()
