/*
 * t_x509.c - unit tests of lib/tls: the DER reader (asn1.c), the
 * certificate parser and signature checks (x509.c), PEM (pem.c).
 *
 * The certificates below are self-signed ones made once by the openssl
 * command (the private keys were thrown away), so each checks its own
 * signature: that exercises tb_x509_verify_sig on every key type:
 *
 *   openssl req -x509 -nodes -keyout K -days 3650 -subj /CN=... ARGS
 *   rsa:      -newkey rsa:2048 -subj "/C=DE/O=Tubes Test/CN=rsa.test" -sha256
 *             -addext "subjectAltName=DNS:rsa.test,DNS:*.rsa.test,IP:127.0.0.1,IP:::1"
 *             -addext "extendedKeyUsage=serverAuth"
 *             -addext "keyUsage=critical,digitalSignature,keyCertSign"
 *   pss:      -newkey rsa:2048 -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
 *   p256:     -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256
 *   p384:     -newkey ec -pkeyopt ec_paramgen_curve:P-384 -sha384
 *   p256s384: -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha384
 *   ed:       -newkey ed25519
 *   sha1:     -newkey rsa:2048 -sha1
 *   rsa4k:    -newkey rsa:4096 -sha512
 *   crit:     P-256, -addext "1.2.3.4=critical,DER:0500"
 *   pl:       P-256, -addext "basicConstraints=critical,CA:TRUE,pathlen:3"
 *             -addext "extendedKeyUsage=clientAuth"
 *
 * and signatures of MSG (below) made with the same keys:
 *   s_rsa384: openssl dgst -sha384 -sign rsa.key
 *   s_pss512: openssl dgst -sha512 -sign rsa.key -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
 *   s_p256:   openssl dgst -sha256 -sign p256.key
 *   s_ed:     openssl pkeyutl -sign -inkey ed.key -rawin
 */
#include <stdio.h>
#include <string.h>

#include "tls/asn1.h"
#include "tls/x509.h"
#include "tls/x509_impl.h"
#include "tap.h"

#define MSG "TLS 1.3, server CertificateVerify\0tubes unit test"

static const char pem_rsa[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDqzCCApOgAwIBAgIUU/EZwBIKGw5ilu0oI1LKLrF3OkEwDQYJKoZIhvcNAQEL\n"
	"BQAwNTELMAkGA1UEBhMCREUxEzARBgNVBAoMClR1YmVzIFRlc3QxETAPBgNVBAMM\n"
	"CHJzYS50ZXN0MB4XDTI2MTIwMzEzMTAwNVoXDTM2MTEzMDEzMTAwNVowNTELMAkG\n"
	"A1UEBhMCREUxEzARBgNVBAoMClR1YmVzIFRlc3QxETAPBgNVBAMMCHJzYS50ZXN0\n"
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApYU5ixrPqV6NSQLOWdsr\n"
	"7BQnvYsaiH2uzR58dwNlalUtM9ZNJ8r0P+H+2sUbAVp2gnu6qzgby9jkc/UXnWwK\n"
	"qRg6UlMh5ndHeRYLJYSvzzD7Fr/sBvLtwWtOAqSQ10wyjHYK/vBlh9ZAz1/bsaJy\n"
	"joj0oNjMsAL7mYm1/pqmOfh8oT7jG9esuzlRpjqfdKasIHuwthQH7rpGn/47qofQ\n"
	"ibmO083RNPa3AVL+GUCYiD7EQeP7skhQX4LyRiP4iHlg+DPdCfAwNpZjOfQvcoLV\n"
	"twqERfAjhHeFtd5EB5ewkpMCU6MmqT+8p0KSNbhmXV/IPI0JTLBg5X67AdaTqYj2\n"
	"OwIDAQABo4GyMIGvMB0GA1UdDgQWBBQQy7x3XiRqfFgsUUSR9nBBuMh24jAfBgNV\n"
	"HSMEGDAWgBQQy7x3XiRqfFgsUUSR9nBBuMh24jAPBgNVHRMBAf8EBTADAQH/MDcG\n"
	"A1UdEQQwMC6CCHJzYS50ZXN0ggoqLnJzYS50ZXN0hwR/AAABhxAAAAAAAAAAAAAA\n"
	"AAAAAAABMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA4GA1UdDwEB/wQEAwIChDANBgkq\n"
	"hkiG9w0BAQsFAAOCAQEAm90JJntNvT3jLRtPPrpKJrHWKhtYI06399uZWVcaW8I2\n"
	"unzgZDZ0rkG9Kv3MTQVIoyxo5Vudpeyn31riMSf5zwg7HNYnhhKTAN64vfCOMkSW\n"
	"sOQR82/XrXsogCAywTf+LZ1GjLDj1oOEMw9yDEFnWvG6xnGp59oEkb2teBsvrMCq\n"
	"Jy795nXlJZDtt2vJFV4Rapac7P7Ut9+uPvImJareWdXS7GgZ98HMRTjDVy3r+52k\n"
	"3dfMGC2DkoZxU8HGKXBE1XHPPqmKr69A0zy0LFEA0cNe2WqxFWiqMHiEZBS+CMTZ\n"
	"cmwUiE4th1nc295huvVaAjpoGltCYqgd0T/SjPBycg==\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_pss[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDbzCCAiOgAwIBAgIUXATbfr7XWystYrWw78cMfFNVHigwQQYJKoZIhvcNAQEK\n"
	"MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEF\n"
	"AKIDAgEgMBMxETAPBgNVBAMMCHBzcy50ZXN0MB4XDTI2MTIwMzEzMTAwNloXDTM2\n"
	"MTEzMDEzMTAwNlowEzERMA8GA1UEAwwIcHNzLnRlc3QwggEiMA0GCSqGSIb3DQEB\n"
	"AQUAA4IBDwAwggEKAoIBAQCcjYsR5vKNJefwInJOSz8KhHHelWNU7NKRcLMqz5OI\n"
	"TUhLRnFxdtH9LSjxzP22mYBTp39hLoH5QvUn4duLWMUeA3fplz1EksKbr7m2U31X\n"
	"mzjYStyxRcqMXhwDdGKS87eJr9MVuZpJ8hLnvvLGSRM1pCh4lPS0fqVfqNbRZ6v5\n"
	"ZhvWp93ibBs3UL1TXU1XO0M5OZUKfcMRzrjkr9kpZ1atlUghw5fL3+2/AplQ0FIj\n"
	"2vh7wSyuO1ESvDmDjreWga4H+RoREec7snRNHAIPmwmXxog0zmwUC+TTmKS84/Da\n"
	"5nwOg6Pd4G90vLavk1D70SD0NC9Nf6c2foLgTsj//WM9AgMBAAGjUzBRMB0GA1Ud\n"
	"DgQWBBSU8hu+dGCVe2bF640BlFBztw5tyTAfBgNVHSMEGDAWgBSU8hu+dGCVe2bF\n"
	"640BlFBztw5tyTAPBgNVHRMBAf8EBTADAQH/MEEGCSqGSIb3DQEBCjA0oA8wDQYJ\n"
	"YIZIAWUDBAIBBQChHDAaBgkqhkiG9w0BAQgwDQYJYIZIAWUDBAIBBQCiAwIBIAOC\n"
	"AQEAiQvFLYrFtlm5DV1x2lrIlPthPubXxYjcJGQ32urZH2Y0wOvPh2gR+0c0H09r\n"
	"mQbQslklBHZPd1Lk/H9H6CTBAwbyq7tmw8yKljzrk+Eu2PKJWoJF4mS4Jt6vnM9V\n"
	"mSd3uED2bHm3Pb+BJZna5BYRsVcwKYInF0IU6fMbeFWWc+GLTjqHb7VFsWyq3+F1\n"
	"MqZskjtjvS3z6fR8zEm1sp+XOnM0IJOIvhReoKx9ueFy2xTEq2rj1W++ODMUbdrK\n"
	"/GA7K2V2b62vVKSfB03s726y9JEBdPIFd0TJ14fhKF2oQrg6dSrf16Xg6QAw1Q3D\n"
	"fszFBPiA80vquq9ToxZlLUixvg==\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_p256[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBfjCCASOgAwIBAgIUBu3B0il78wVlnLpCVSvGLpqB76swCgYIKoZIzj0EAwIw\n"
	"FDESMBAGA1UEAwwJcDI1Ni50ZXN0MB4XDTI2MTIwMzEzMTAwNloXDTM2MTEzMDEz\n"
	"MTAwNlowFDESMBAGA1UEAwwJcDI1Ni50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D\n"
	"AQcDQgAErYMSMS03ZjJzdN8jFbbDE2AKZLFKLutOvKrNE5tpLJ+cLEK12xHXgjSH\n"
	"9VOvIuKhgwfYYUNvREMO2aw4fV2odaNTMFEwHQYDVR0OBBYEFNh8crRgtm1tSMW6\n"
	"sG4fRBFLowvpMB8GA1UdIwQYMBaAFNh8crRgtm1tSMW6sG4fRBFLowvpMA8GA1Ud\n"
	"EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAO+yNuUx+4bUjeSqiEU0wgi1\n"
	"1qNZmU2Ad8o5Z533HGLEAiEAj6TOkhTNYth1PonkbC+UvflOh+FPaFR+XoA3SZDE\n"
	"ZSU=\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_p384[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBujCCAUCgAwIBAgIUOZjb5GMDy9Rrx0Uq1B0EV/Gpp/kwCgYIKoZIzj0EAwMw\n"
	"FDESMBAGA1UEAwwJcDM4NC50ZXN0MB4XDTI2MTIwMzEzMTAwNloXDTM2MTEzMDEz\n"
	"MTAwNlowFDESMBAGA1UEAwwJcDM4NC50ZXN0MHYwEAYHKoZIzj0CAQYFK4EEACID\n"
	"YgAEGMIt283ohWNUWrFlSCb9NMbhWsdaP+wHQFeu5CeCGVNX5/lwLxlVlKFBQgP/\n"
	"IOND4EYoVd/2zycpGALm8rsELZz/aLENErmReEUiAuTD4F7nV0/WBo/XyhCy93Nl\n"
	"vhoeo1MwUTAdBgNVHQ4EFgQUQ/iAJsm3on1paxq9CifQQ0JJx14wHwYDVR0jBBgw\n"
	"FoAUQ/iAJsm3on1paxq9CifQQ0JJx14wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjO\n"
	"PQQDAwNoADBlAjBjv6Ll026TPwMl/TkXSot6qdnyF5RjmGehGhEZoc+mIqMvjJqe\n"
	"kcI0LVHSczvXp6ICMQD32z0W1coksAFJ6AVM0d4JbUpDLjBng8XEp0xiHN4unOj9\n"
	"03uEegqHW8n+fi2BGZs=\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_p256s384[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBhTCCASugAwIBAgIUCbVsbSwmPZxJZFKLOagZP2AOExEwCgYIKoZIzj0EAwMw\n"
	"GDEWMBQGA1UEAwwNcDI1NnMzODQudGVzdDAeFw0yNjEyMDMxMzEwMDZaFw0zNjEx\n"
	"MzAxMzEwMDZaMBgxFjAUBgNVBAMMDXAyNTZzMzg0LnRlc3QwWTATBgcqhkjOPQIB\n"
	"BggqhkjOPQMBBwNCAATP+AFu8whnU6X0OOLeiHP9hCQZ6Pf+ullf6fzroCo78cB4\n"
	"S9I+f7HnBFGAjKkfsrITnvCIin7NnhXpCgjc1uPEo1MwUTAdBgNVHQ4EFgQUPUTy\n"
	"v+3tlLjcjkcFjjoRDxSSUeIwHwYDVR0jBBgwFoAUPUTyv+3tlLjcjkcFjjoRDxSS\n"
	"UeIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNIADBFAiEAl6r0iciRTFWA\n"
	"AXSrDvTQ//i0ZuHjcGJ8MqPjYPxNku4CIDRVqE3JmH7VuX5Ga2CUhPTGHfQ6d/kI\n"
	"QAgtl2bT8IEo\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_ed[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBODCB66ADAgECAhQezSKKtszbhVlWJ2q28R+YHwCqADAFBgMrZXAwEjEQMA4G\n"
	"A1UEAwwHZWQudGVzdDAeFw0yNjEyMDMxMzEwMDZaFw0zNjExMzAxMzEwMDZaMBIx\n"
	"EDAOBgNVBAMMB2VkLnRlc3QwKjAFBgMrZXADIQCCfRB2n/eZwvKqiROE5Hk7qJCI\n"
	"jWJCpn4CIFgATU0Ny6NTMFEwHQYDVR0OBBYEFG9jN4EmpRFwiOVDWRV8192vbCbB\n"
	"MB8GA1UdIwQYMBaAFG9jN4EmpRFwiOVDWRV8192vbCbBMA8GA1UdEwEB/wQFMAMB\n"
	"Af8wBQYDK2VwA0EA49zJulndsIzo0MJKwsjgnLk5gnocFsalFYKwKGm4EsFZNXou\n"
	"wUPovWSv6TkFN+btzqira4NRtMfHMxwVsO4OAQ==\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_sha1[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDCTCCAfGgAwIBAgIUXwTdgKsj2O7Npo0Iu55eh0rkk1UwDQYJKoZIhvcNAQEF\n"
	"BQAwFDESMBAGA1UEAwwJc2hhMS50ZXN0MB4XDTI2MTIwMzEzMTAwNloXDTM2MTEz\n"
	"MDEzMTAwNlowFDESMBAGA1UEAwwJc2hhMS50ZXN0MIIBIjANBgkqhkiG9w0BAQEF\n"
	"AAOCAQ8AMIIBCgKCAQEAqVKuQl7Md5ERcEUWYhD3WfavlJe1nyoN2XQhZFGcVp5Q\n"
	"JI7lY0CRUDRWKJI0YCaMLSyeAusuL9fYCS/c2n+5j/7r10xdKLD9odJGaXhZQFtj\n"
	"vMAU6Sp4AZ7BIzAv5Nvp8D5Mr/p/3b8l23kDvyAoRINka0bAMliP5s+UNgM/9o7T\n"
	"8r0VLsjqUMVoTDqIEWmKgQJ3NgOd9sqRRRHbnOzP1nTAyiVMgBDzXcjYQrpKwkJI\n"
	"UIamhjP8cZnwIA2mlVo6LhWa0RE5NRMQtWtw2SlGp70kfcqtxiaaPi62zoctNR4i\n"
	"7WdEGc7fx9YiIXNWl+QMlIP46HJBvje5oaFEGGYx3wIDAQABo1MwUTAdBgNVHQ4E\n"
	"FgQUD8/q+oZ+c0K3unV7VI+FwMUNZ1wwHwYDVR0jBBgwFoAUD8/q+oZ+c0K3unV7\n"
	"VI+FwMUNZ1wwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQUFAAOCAQEAn43b\n"
	"/wz7HnOcJQKOzuKAiP65oy8gQl9qdCI9c7eyP98nYJ+V8G6dYwh/ljUFzodzXyhu\n"
	"fhPk1gP9LS3gv5pzOa4QpyDMmcdLAkJ9ohSoIA10en5hiwxvnS+oC111FTjJU8Wr\n"
	"2X8R+fJ0ZZBQM+Jknb4ccnna1Af1X7kV1z6foWx5eZWza3i+H38/APTzgiM0lZ2X\n"
	"LTaZBuMEjCP+tUhmu7B+3adQ9HNcyGutv7BuJSp45TCP+HhqfeuapgS7ugwbqs5p\n"
	"6OysY6+GOLRhwdzUd8JP/WuHHb6Qt3j+0RYFOnOPG0gphIOdf1ne+BCv8VLv7H8w\n"
	"D6R3te6oCoDUZXp2Gg==\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_rsa4k[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIFCzCCAvOgAwIBAgIUQ1bvpU2D3yCz4HjOq53VNXF+BxowDQYJKoZIhvcNAQEN\n"
	"BQAwFTETMBEGA1UEAwwKcnNhNGsudGVzdDAeFw0yNjEyMDMxMzEwMDlaFw0zNjEx\n"
	"MzAxMzEwMDlaMBUxEzARBgNVBAMMCnJzYTRrLnRlc3QwggIiMA0GCSqGSIb3DQEB\n"
	"AQUAA4ICDwAwggIKAoICAQC8LWMfx3JSj5Rl7AEWHBf+IXX/mlbAkY9vGtlVCr3r\n"
	"og9IHxWjPwW5yJ/x1iJGTb2oTDjCxzbYKSWiQsH42om9msJW5hS/8n040zjSbZIU\n"
	"xSx3tSCZQBByvVhTwVitAeg5cFHKN5GPSDdPhq3/7WlwK/OsGXhb4mNlN6mwz7t6\n"
	"iRrer+Embgw53MNv0xSukRPABZ7V2p+AtrJogi4El/BPjS9zbbf5rXrzJ49Lt8hQ\n"
	"5lEGH4Q6NUO+BECdPZnI/dVi5WdDMdGt9LmpommWOQXNjlcZ4opCA/Jf1Oo/6Zar\n"
	"hIai/OnL5nKoS/8T041sHkjyruLJKp+NceN21CPq8/tKCRcr7F/bq3Rb1g42rGIW\n"
	"Mq85s6JViDSwD4wTfqRBc5big0GMOFed4GK3XWSqQMzdj7gtjQjg0JoKzadb8F+D\n"
	"fOmlBxHT2FRjBKtLuQ03xdXHC7ViRQFH3wqlp6FhMOQgaOW2c9VTmSab8ctfLmaM\n"
	"inzSPiUQpSYHENALwDEkDH+4/fK7K0na+CNmswzj7MgFNt4yzUvFVkqEMnDAGPZ8\n"
	"aZnl2KjlMjeodpGQuftI01yjEaQ8cbQwDWUWNEaKn7bDwN6wRhu1aID61rZhV/9v\n"
	"8Degw/fs7rJXeBJ6YDWF6KRRg/f85Zawm+/tbZrBydaI0uQP43G05s7AxbFvM5P7\n"
	"yQIDAQABo1MwUTAdBgNVHQ4EFgQUOhvjA0G/d69ygt3orugJbjlzqEQwHwYDVR0j\n"
	"BBgwFoAUOhvjA0G/d69ygt3orugJbjlzqEQwDwYDVR0TAQH/BAUwAwEB/zANBgkq\n"
	"hkiG9w0BAQ0FAAOCAgEAs9OalTZ+jqWzg7p3QSLSXk6ffZ+JgdC511OI4J6hZrEk\n"
	"u9i5dKaWo3jSJvF4pHjscMGhdHXUXUhQgZwlqoK8YG2Y6+JndwDGIAczpFdITIjt\n"
	"JbVx29DqBitrfL/jGVLm3TTrb2+AZsMb4VQjM82hiz7bxqwu3E2MalAMD1+fBzJi\n"
	"Wp+zpMPVJUeKsOJwG30qWZZ+2vUSL1s3IzdNh1VSW9zxDmxtqoDF7a1pzdarDtd9\n"
	"7jI8jX+uLKcdwA5ENKW1jdmVxCX6qDejRfNbSs+IO0cdjjqggN4SOGqpKgZPOCTm\n"
	"3bWrQad5vzvPfvyewxHa1be0/d1JAFTRTohL9xgcxjR4yREHu1JsENnv0mdGi+JV\n"
	"xJCqgfy0ahMWFhBXVpf86FrkPrkNZpgXzZITrsUbkw8ibl6sQOEkBbfdvAkFlvnY\n"
	"RDzvd3vb+COO+T8iN2TPberWODFjVYTYQC33/a+G2tG5QYlD6q8h16dPiC1WMBlg\n"
	"eAO9xrWt8E/DwsE8N9iHhh/WgsH6BlbR9N1pWS7AMuNZ54geag1t1wuGLwAuaiA9\n"
	"q/arzpZJA6OAafH9WYtQJNNZ0JHfOEmEl/NnrC54GNiH8ALcXeYY9+uWER+j+oAv\n"
	"RbrWnRzCsejjTtzhKXiiDclolCzefHQb0CCgbegad44DrzlTtDmmavzsHBBHabU=\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_crit[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBijCCATGgAwIBAgIUHLSu+kakzsi+RLMYNlBBfdAWcnswCgYIKoZIzj0EAwIw\n"
	"FDESMBAGA1UEAwwJY3JpdC50ZXN0MB4XDTI2MTIwMzEzMTAwOVoXDTM2MTEzMDEz\n"
	"MTAwOVowFDESMBAGA1UEAwwJY3JpdC50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0D\n"
	"AQcDQgAEF11vzZq2FuuEyynxLjzQCk5EQjBhcHNgwBNqVqq1EIBlTNBumLgU4wHi\n"
	"cRVBtXEnIg1nwXgvYRdhwy5555KOU6NhMF8wHQYDVR0OBBYEFF1D/slprB9DbgWU\n"
	"w03zgA63O8RqMB8GA1UdIwQYMBaAFF1D/slprB9DbgWUw03zgA63O8RqMA8GA1Ud\n"
	"EwEB/wQFMAMBAf8wDAYDKgMEAQH/BAIFADAKBggqhkjOPQQDAgNHADBEAiBF7OOF\n"
	"+krhZdqZv03l86toePBvAIEGWCQZEKZDcVHuFwIgPYPPXrZQXwlgx3MInKQs6+9a\n"
	"32FAYWIDiF9KheZAkII=\n"
	"-----END CERTIFICATE-----\n"
;
static const char pem_pl[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBkDCCATegAwIBAgIUDG6Fgfblus7if6W0CwBlTpYqUFswCgYIKoZIzj0EAwIw\n"
	"EjEQMA4GA1UEAwwHcGwudGVzdDAeFw0yNjEyMDMxMzEwMDlaFw0zNjExMzAxMzEw\n"
	"MDlaMBIxEDAOBgNVBAMMB3BsLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC\n"
	"AASWetVtX3kz+Vu/hQLmT96tPLlRaorGRlP88uEWw1SAAgWEpEJ8lRiGF6rOJmcf\n"
	"ZwBtp1Sc5xpX1VB0PJZd2SV+o2swaTAdBgNVHQ4EFgQUM4IqGedicDMMbYV+zles\n"
	"uJautwAwHwYDVR0jBBgwFoAUM4IqGedicDMMbYV+zlesuJautwAwEgYDVR0TAQH/\n"
	"BAgwBgEB/wIBAzATBgNVHSUEDDAKBggrBgEFBQcDAjAKBggqhkjOPQQDAgNHADBE\n"
	"AiBGp9UXJTB75yySv0dGMJE5We5XxrfmsWPd05qYVqnNYAIgT5TdO1mzz3ltG5AW\n"
	"trjAbnTvIkiD53mYMUdzw8Q22oY=\n"
	"-----END CERTIFICATE-----\n"
;
static const char hex_s_rsa384[] =
	"1d211557310aa2e7c3fd38a9922f866e5952471f7f99c81948fdab06a9f6df1f"
	"d69686515ef486fa2f1d2d92e5b29645ea07b578dbe167df59d0ccc58ca77026"
	"56c87afb7b1b23d6944acea8c91cbe0c18d186f1e5be3ee8f8651f0ed2f47cdc"
	"dc8a94731cef40aeb61c98cc370fd8736b05f76dd177fca1c714485a7c2e8334"
	"8a24a4b1bb43ade90e371e129e8c578c0b2d410eeab3c6921307c0bdceddba30"
	"481c23784c554f62506ff1683783431e528e39ec9872b2224291169d95b52c76"
	"d91a0513f09cd27ddca265397b76b8a3926d698baef33b539e5264477d471f82"
	"39d8961e535e9d0187ebc232a6da034bfd4210949e7bd539d1d1634ed4fe9703";
static const char hex_s_pss512[] =
	"988d655e7bc3c324a5dabd7636c54aa5c0acf0ac21e426396f73ae6c26f29b85"
	"96da0409220134b0dfb1124a4fe60a679d1060795a5e37c4f8f2c1d68a07edb9"
	"da43df46ea04cdc50c628eac7ebc04d96cc6a759f4e3a400d03a8a3e060c66ca"
	"963e0de3d9efa9345a7d7f7072b3872c68c95f132f488ea600ad29b993a5fb3d"
	"e9602c9ed349f816804f5bf115c0fd98b21e0cdb7ab0fcbc0c7ab953bb544100"
	"bde075fbcdb27a24b1b420b120672e2310a92ed372facb3aaa2ad79674b03c8b"
	"1730c626ef7308794aca4c1b97a8532d424589fab8bda1d8d30a1476fa7ab052"
	"033481b328b4a8b9bdf913f39e8a3b42044efa0123749bc38fed1caf52d11a12";
static const char hex_s_p256[] =
	"3046022100f2183a8a3f69e97c76034b7320d72d913374f1ac21418138fad0c0"
	"32c0fff728022100df7f21f6878fb56692751aacefade74a612ce26a71d25068"
	"56651a2124251434";
static const char hex_s_ed[] =
	"280c6a5854652334caf12159d887cb7b9c6497375900324fedd4684200a0ccbe"
	"dc211c4a95ca80200ea0182932de951d7330382c637480d8fa2a09abf0f5590d";

static uint8_t der[8][8192];
static size_t derlen[8];

/* the first certificate of a PEM text into slot k */
static size_t
load(int k, const char *pem)
{
	size_t off = 0;
	long n = tb_pem_next(pem, strlen(pem), &off, der[k], sizeof der[k]);

	derlen[k] = n > 0 ? (size_t)n : 0;
	return derlen[k];
}

static struct tb_x509 x, y;
static const char *why;
static uint8_t buf[8192], sig[1024];

/* a certificate's own signature, and the same changed, under scheme */
static void
self_sig(int slot, const char *pem, int key, unsigned bits, int scheme)
{
	CHECK(load(slot, pem) > 0);
	CHECK_EQ(tb_x509_parse(&x, der[slot], derlen[slot], &why), 0);
	CHECK_EQ(x.key, key);
	CHECK_EQ(x.key_bits, bits);
	CHECK_EQ(x.version, 3);
	CHECK_EQ(x.sig_scheme, scheme);
	CHECK_EQ(tb_x509_verify_sig(&x, scheme, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), 0);
	CHECK_EQ(x509_issued_by(&x, &x), 0);
	memcpy(buf, x.tbs.p, x.tbs.len);
	buf[x.tbs.len / 2] ^= 1;
	CHECK_EQ(tb_x509_verify_sig(&x, scheme, buf, x.tbs.len, x.sig.p, x.sig.len), -1);
	memcpy(sig, x.sig.p, x.sig.len);
	sig[x.sig.len - 1] ^= 0x40;
	CHECK_EQ(tb_x509_verify_sig(&x, scheme, x.tbs.p, x.tbs.len, sig, x.sig.len), -1);
	CHECK_EQ(tb_x509_verify_sig(&x, scheme, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len - 1), -1);
}

/* every scheme but the right one fails on a certificate's own signature */
static void
other_schemes(int right)
{
	static const int all[] = { 0x0201, 0x0203, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503,
	    0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0, -1 };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i] != right)
			CHECK_EQ(tb_x509_verify_sig(&x, all[i], x.tbs.p, x.tbs.len,
			    x.sig.p, x.sig.len), -1);
}

static size_t
hex(const char *h, uint8_t *out)
{
	return tap_hex(h, out, 1024);
}

/* der with the byte at i replaced, parsed: must not crash; returns the verdict */
static int
parse_mod(int slot, size_t i, uint8_t v)
{
	memcpy(buf, der[slot], derlen[slot]);
	buf[i] = v;
	return tb_x509_parse(&y, buf, derlen[slot], &why);
}

/* a GeneralNames SEQUENCE of "D:name" (dNSName) and "I:" + 4/16 raw bytes entries */
static uint8_t sanbuf[1024];

static struct tb_der
san_of(const char *const *names, size_t n)
{
	size_t o = 2, i, l;

	for (i = 0; i < n; i++) {
		const char *v = names[i] + 2;

		l = names[i][0] == 'I' ? (names[i][2] == 4 ? 4 : 16) : strlen(v);
		sanbuf[o++] = names[i][0] == 'I' ? 0x87 : 0x82;
		sanbuf[o++] = (uint8_t)l;
		memcpy(sanbuf + o, names[i][0] == 'I' ? v + 1 : v, l);
		o += l;
	}
	sanbuf[0] = 0x30;
	sanbuf[1] = (uint8_t)(o - 2);
	return (struct tb_der){ sanbuf, o };
}

static int
host_is(const struct tb_der *san, const char *host)
{
	char m[128];

	return x509_host_match(san, host, m, sizeof m);
}

/*
 * NameConstraints { [0] permitted, [1] excluded } with dNSName subtrees:
 * "+name" permitted, "-name" excluded
 */
static uint8_t ncbuf[512];

static struct tb_der
nc_of(const char *const *c, size_t n)
{
	uint8_t perm[200], excl[200];
	size_t pl = 0, el = 0, o = 2, i, l;

	for (i = 0; i < n; i++) {
		uint8_t *t = c[i][0] == '+' ? perm : excl;
		size_t *tl = c[i][0] == '+' ? &pl : &el;

		l = strlen(c[i] + 1);
		t[(*tl)++] = 0x30;
		t[(*tl)++] = (uint8_t)(l + 2);
		t[(*tl)++] = 0x82;
		t[(*tl)++] = (uint8_t)l;
		memcpy(t + *tl, c[i] + 1, l);
		*tl += l;
	}
	if (pl) {
		ncbuf[o++] = 0xa0;
		ncbuf[o++] = (uint8_t)pl;
		memcpy(ncbuf + o, perm, pl);
		o += pl;
	}
	if (el) {
		ncbuf[o++] = 0xa1;
		ncbuf[o++] = (uint8_t)el;
		memcpy(ncbuf + o, excl, el);
		o += el;
	}
	ncbuf[0] = 0x30;
	ncbuf[1] = (uint8_t)(o - 2);
	return (struct tb_der){ ncbuf, o };
}

int
main(void)
{
	struct tb_asn1 c;
	struct tb_der d;
	unsigned tag;
	int64_t t;
	size_t i, n;
	int fails;
	char s[256];

	TEST("asn1: short and long lengths, minimal only") {
		static const uint8_t ok1[] = { 0x04, 0x01, 0xaa };
		static const uint8_t nonmin[] = { 0x04, 0x81, 0x01, 0xaa };
		static const uint8_t zero[] = { 0x04, 0x82, 0x00, 0x80 };
		static const uint8_t indef[] = { 0x30, 0x80, 0x00, 0x00 };
		static const uint8_t hightag[] = { 0x1f, 0x22, 0x01, 0x00 };
		static const uint8_t over[] = { 0x04, 0x05, 0x00 };
		static const uint8_t five[] = { 0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00 };
		uint8_t big[300];

		tb_asn1_init(&c, ok1, sizeof ok1);
		CHECK_EQ(tb_asn1_any(&c, &tag, &d, NULL), 0);
		CHECK_EQ(tag, 0x04);
		CHECK_EQ(d.len, 1);
		CHECK(tb_asn1_done(&c));
		CHECK_EQ(tb_asn1_check(nonmin, sizeof nonmin), -1);
		CHECK_EQ(tb_asn1_check(zero, sizeof zero), -1);
		CHECK_EQ(tb_asn1_check(indef, sizeof indef), -1);
		CHECK_EQ(tb_asn1_check(hightag, sizeof hightag), -1);
		CHECK_EQ(tb_asn1_check(over, sizeof over), -1);
		CHECK_EQ(tb_asn1_check(five, sizeof five), -1);
		memset(big, 0, sizeof big);
		big[0] = 0x04;
		big[1] = 0x82;
		big[2] = 0x01;
		big[3] = 0x00;
		CHECK_EQ(tb_asn1_check(big, 4 + 256), 0);
		CHECK_EQ(tb_asn1_check(big, 4 + 255), -1);
		CHECK_EQ(tb_asn1_check(big, 4 + 257), -1);	/* a byte after it */
	}

	TEST("asn1: depth is bounded") {
		uint8_t deep[2 * 40];

		/* 17 nested SEQUENCEs, then 16 */
		for (i = 0; i < 17; i++) {
			deep[2 * i] = 0x30;
			deep[2 * i + 1] = (uint8_t)(2 * (16 - i));
		}
		CHECK_EQ(tb_asn1_check(deep, 34), -1);
		CHECK_EQ(tb_asn1_check(deep + 2, 32), 0);
	}

	TEST("asn1: BOOLEAN, INTEGER, BIT STRING in DER") {
		long v;
		unsigned unused;
		struct tb_der bits;

		CHECK_EQ(tb_asn1_bool(&(struct tb_der){ (const uint8_t *)"\xff", 1 }, &fails), 0);
		CHECK_EQ(fails, 1);
		CHECK_EQ(tb_asn1_bool(&(struct tb_der){ (const uint8_t *)"\x01", 1 }, &fails), -1);
		CHECK_EQ(tb_asn1_uint(&(struct tb_der){ (const uint8_t *)"\x00\x80", 2 }, &v), 0);
		CHECK_EQ(v, 128);
		CHECK_EQ(tb_asn1_uint(&(struct tb_der){ (const uint8_t *)"\x00\x7f", 2 }, &v), -1);
		CHECK_EQ(tb_asn1_uint(&(struct tb_der){ (const uint8_t *)"\x80", 1 }, &v), -1);
		CHECK_EQ(tb_asn1_uint(&(struct tb_der){ (const uint8_t *)"", 0 }, &v), -1);
		CHECK_EQ(tb_asn1_bits(&(struct tb_der){ (const uint8_t *)"\x05\xa0", 2 }, &bits, &unused), 0);
		CHECK_EQ(unused, 5);
		CHECK_EQ(tb_asn1_bits(&(struct tb_der){ (const uint8_t *)"\x05\xa1", 2 }, &bits, &unused), -1);
		CHECK_EQ(tb_asn1_bits(&(struct tb_der){ (const uint8_t *)"\x08\x00", 2 }, &bits, &unused), -1);
		CHECK_EQ(tb_asn1_bits(&(struct tb_der){ (const uint8_t *)"\x01", 1 }, &bits, &unused), -1);
	}

	TEST("asn1: times to epoch seconds, without timegm") {
		/* reference values: date -u -d ... +%s */
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"700101000000Z", 13 }, &t), 0);
		CHECK_EQ(t, 0);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"491231235959Z", 13 }, &t), 0);
		CHECK_EQ(t, 2524607999LL);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"500101000000Z", 13 }, &t), 0);
		CHECK_EQ(t, -631152000LL);
		CHECK_EQ(tb_asn1_time(ASN1_GENTIME, &(struct tb_der){ (const uint8_t *)"20000229120000Z", 15 }, &t), 0);
		CHECK_EQ(t, 951825600LL);
		CHECK_EQ(tb_asn1_time(ASN1_GENTIME, &(struct tb_der){ (const uint8_t *)"99991231235959Z", 15 }, &t), 0);
		CHECK_EQ(t, 253402300799LL);
		CHECK_EQ(tb_asn1_time(ASN1_GENTIME, &(struct tb_der){ (const uint8_t *)"21000229000000Z", 15 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_GENTIME, &(struct tb_der){ (const uint8_t *)"20240230000000Z", 15 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"260101000000+", 13 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"2601010000Z", 11 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"261301000000Z", 13 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"260101240000Z", 13 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_UTCTIME, &(struct tb_der){ (const uint8_t *)"26010100006 Z", 13 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_GENTIME, &(struct tb_der){ (const uint8_t *)"20260101000000.5Z", 17 }, &t), -1);
		CHECK_EQ(tb_asn1_time(ASN1_OCTETSTRING, &(struct tb_der){ (const uint8_t *)"260101000000Z", 13 }, &t), -1);
	}

	TEST("asn1: days and dates round trip, 1601 to 9999") {
		int yr, m, dd, bad = 0;
		int64_t k;

		for (k = tb_days(1601, 1, 1); k <= tb_days(9999, 12, 31); k += 17) {
			tb_civil(k, &yr, &m, &dd);
			if (tb_days(yr, m, dd) != k)
				bad++;
		}
		CHECK_EQ(bad, 0);
		tb_civil(tb_days(2026, 1, 1), &yr, &m, &dd);
		CHECK(yr == 2026 && m == 1 && dd == 1);
		CHECK_EQ(tb_days(2026, 1, 1), 20454);
	}

	TEST("asn1: OIDs in dotted form") {
		CHECK_EQ(tb_asn1_oid_str(&(struct tb_der){ (const uint8_t *)"\x55\x1d\x63", 3 }, s, sizeof s), 0);
		CHECK_STR(s, "2.5.29.99");
		CHECK_EQ(tb_asn1_oid_str(&(struct tb_der){ (const uint8_t *)"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b", 9 }, s, sizeof s), 0);
		CHECK_STR(s, "1.2.840.113549.1.1.11");
		CHECK_EQ(tb_asn1_oid_str(&(struct tb_der){ (const uint8_t *)"\x2a\x80\x01", 3 }, s, sizeof s), -1);
		CHECK_EQ(tb_asn1_oid_str(&(struct tb_der){ (const uint8_t *)"\x2a\x86", 2 }, s, sizeof s), -1);
		CHECK_EQ(tb_asn1_oid_str(&(struct tb_der){ (const uint8_t *)"\x2a", 1 }, s, 3), -1);
	}

	TEST("x509: RSA-2048 certificate, every field") {
		self_sig(0, pem_rsa, TB_KEY_RSA, 2048, 0x0401);
		other_schemes(0x0401);
		CHECK_EQ(x.not_before, 1796303405LL);
		CHECK_EQ(x.not_after, 2111663405LL);
		CHECK_EQ(x.serial.len, 20);
		CHECK_EQ(x.serial.p[0], 0x53);
		CHECK(x.ca == 1);	/* openssl req -x509 adds CA:TRUE */
		CHECK_EQ(x.pathlen, -1);
		CHECK(x.has_ku && x.ku == (1u << 0 | 1u << 5));
		CHECK(x.has_eku && x.eku_server);
		CHECK(x.san.len > 0 && x.ski.len == 20 && x.aki.len == 20);
		CHECK_EQ(x.nc.len, 0);
		CHECK_MEM(x.subject.p, x.issuer.p, x.subject.len);
		x509_name_str(&x.subject, 0, s, sizeof s);
		CHECK_STR(s, "CN=rsa.test");
		x509_name_str(&x.subject, 1, s, sizeof s);
		CHECK_STR(s, "C=DE, O=Tubes Test, CN=rsa.test");
		CHECK_EQ(x.der.len, derlen[0]);
	}

	TEST("x509: TLS signatures by the RSA key: pkcs1 sha384, pss sha512") {
		n = hex(hex_s_rsa384, sig);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0501, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), 0);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0401, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), -1);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0805, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), -1);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0501, (const uint8_t *)MSG, sizeof MSG - 2, sig, n), -1);
		n = hex(hex_s_pss512, sig);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0806, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), 0);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x080b, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), -1);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0601, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), -1);
	}

	TEST("x509: RSA-PSS (rsae) certificate signature") {
		self_sig(1, pem_pss, TB_KEY_RSA, 2048, 0x0804);
		other_schemes(0x0804);
	}

	TEST("x509: P-256 certificate and a TLS signature") {
		self_sig(2, pem_p256, TB_KEY_P256, 256, 0x0403);
		other_schemes(0x0403);
		n = hex(hex_s_p256, sig);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0403, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), 0);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0503, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), -1);
	}

	TEST("x509: P-384 certificate") {
		self_sig(3, pem_p384, TB_KEY_P384, 384, 0x0503);
		other_schemes(0x0503);
	}

	TEST("x509: P-256 key signing with SHA-384: a certificate's or TLS 1.2's, not TLS 1.3's") {
		CHECK(load(4, pem_p256s384) > 0);
		CHECK_EQ(tb_x509_parse(&x, der[4], derlen[4], &why), 0);
		CHECK_EQ(x.key, TB_KEY_P256);
		CHECK_EQ(x.sig_scheme, 0x0503);
		CHECK_EQ(x509_issued_by(&x, &x), 0);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0503, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), -1);
		/* TLS 1.2 names the hash only */
		CHECK_EQ(tb_x509_verify_sig12(&x, 0x0503, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), 0);
		CHECK_EQ(tb_x509_verify_sig12(&x, 0x0403, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), -1);
		CHECK_EQ(tb_x509_verify_sig12(&x, 0x0203, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), -1);
		CHECK_EQ(tb_x509_verify_sig12(&x, 0x0603, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), -1);
	}

	TEST("x509: Ed25519 certificate and a TLS signature") {
		self_sig(5, pem_ed, TB_KEY_ED25519, 256, 0x0807);
		other_schemes(0x0807);
		n = hex(hex_s_ed, sig);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0807, (const uint8_t *)MSG, sizeof MSG - 1, sig, n), 0);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0807, (const uint8_t *)MSG, sizeof MSG - 2, sig, n), -1);
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0807, (const uint8_t *)MSG, sizeof MSG - 1, sig, n - 1), -1);
	}

	TEST("x509: RSA-4096 with SHA-512") {
		self_sig(6, pem_rsa4k, TB_KEY_RSA, 4096, 0x0601);
	}

	TEST("x509: SHA-1 is parsed, named, and never verifies") {
		CHECK(load(7, pem_sha1) > 0);
		CHECK_EQ(tb_x509_parse(&x, der[7], derlen[7], &why), 0);
		CHECK_EQ(x.sig_scheme, 0x0201);
		CHECK_STR(x509_scheme_name(x.sig_scheme), "rsa_pkcs1_sha1");
		CHECK_EQ(tb_x509_verify_sig(&x, 0x0201, x.tbs.p, x.tbs.len, x.sig.p, x.sig.len), -1);
		CHECK_EQ(x509_issued_by(&x, &x), -1);
	}

	TEST("x509: an unknown critical extension is named") {
		CHECK(load(7, pem_crit) > 0);
		CHECK_EQ(tb_x509_parse(&x, der[7], derlen[7], &why), -1);
		CHECK_STR(why, "unknown critical extension 1.2.3.4");
		/* the subject was read before: verify.c names the certificate */
		x509_name_str(&x.subject, 0, s, sizeof s);
		CHECK_STR(s, "CN=crit.test");
	}

	TEST("x509: basicConstraints pathlen, EKU without serverAuth") {
		CHECK(load(7, pem_pl) > 0);
		CHECK_EQ(tb_x509_parse(&x, der[7], derlen[7], &why), 0);
		CHECK(x.ca == 1 && x.pathlen == 3);
		CHECK(x.has_eku && !x.eku_server);
		CHECK_EQ(x.has_ku, 0);
	}

	TEST("x509: every truncation of every certificate is refused") {
		fails = 0;
		for (int k = 0; k < 7; k++)
			for (i = 0; i < derlen[k]; i++)
				if (tb_x509_parse(&y, der[k], i, &why) == 0)
					fails++;
		CHECK_EQ(fails, 0);
		CHECK_EQ(tb_x509_parse(&y, der[0], derlen[0] + 1, &why), -1);
		CHECK_STR(why, "certificate: bad DER encoding");
	}

	TEST("x509: changed bytes: never a crash; a changed signature never verifies") {
		fails = 0;
		for (i = 0; i < derlen[2]; i++) {
			for (unsigned v = 0; v < 256; v += 51) {
				if (parse_mod(2, i, (uint8_t)(der[2][i] ^ (v | 1))) == 0 &&
				    x509_issued_by(&y, &y) == 0)
					fails++;
			}
		}
		CHECK_EQ(fails, 0);
	}

	TEST("x509: the two signature algorithms must agree") {
		/* the inner one is the first SEQUENCE after the serial in tbs */
		CHECK_EQ(tb_x509_parse(&x, der[2], derlen[2], &why), 0);
		i = (size_t)(x.serial.p + x.serial.len - der[2]);
		CHECK_EQ(der[2][i], 0x30);
		/* ecdsa-with-SHA256 -> SHA384: last OID byte 02 -> 03 */
		CHECK_EQ(der[2][i + 2 + 2 + 7], 0x02);
		CHECK_EQ(parse_mod(2, i + 2 + 2 + 7, 0x03), -1);
		CHECK_STR(why, "certificate: the two signature algorithms differ");
	}

	TEST("name: IP literals, v4 and v6, strictly") {
		uint8_t a[16];
		static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 5 };
		static const uint8_t mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
		    192, 0, 2, 1 };

		CHECK_EQ(x509_ip_parse("127.0.0.1", a), 4);
		CHECK(a[0] == 127 && a[3] == 1);
		CHECK_EQ(x509_ip_parse("2001:db8::5", a), 16);
		CHECK_MEM(a, v6, 16);
		CHECK_EQ(x509_ip_parse("2001:DB8:0:0:0:0:0:5", a), 16);
		CHECK_MEM(a, v6, 16);
		CHECK_EQ(x509_ip_parse("::ffff:192.0.2.1", a), 16);
		CHECK_MEM(a, mapped, 16);
		CHECK_EQ(x509_ip_parse("::", a), 16);
		CHECK_EQ(x509_ip_parse("::1", a), 16);
		CHECK_EQ(a[15], 1);
		CHECK_EQ(x509_ip_parse("1::", a), 16);
		static const char *const notip[] = { "127.0.0", "127.0.0.1.2", "127.0.0.256",
		    "127.000.0.1", "01.2.3.4", "1.2.3.4 ", "www.x.test", "1:2:3:4:5:6:7:8:9",
		    "1::2::3", ":1::2", "1:2:3:4:5:6:7:8::", "12345::1", "::1%eth0", "1:2:3:4:5:6:1.2.3.4:1",
		    "", "g::1", "1:", "1.2.3.4::" };
		for (i = 0; i < sizeof notip / sizeof notip[0]; i++)
			if (x509_ip_parse(notip[i], a) != 0) {
				printf("#   %s parsed\n", notip[i]);
				CHECK(0);
			}
	}

	TEST("name: DNS names, case, trailing dot, wildcards") {
		static const char *const names[] = { "D:www.x.test", "D:*.w.x.test", "D:*.test",
		    "D:f*.y.test", "D:*.*.z.test", "D:a*", "D:*", "D:*.", "D:x*.q.test" };
		struct tb_der san = san_of(names, sizeof names / sizeof names[0]);
		char m[128];

		CHECK_EQ(host_is(&san, "www.x.test"), 1);
		CHECK_EQ(host_is(&san, "WWW.X.Test"), 1);
		CHECK_EQ(host_is(&san, "www.x.test."), 1);
		CHECK_EQ(host_is(&san, "www.x.test.."), 0);
		CHECK_EQ(host_is(&san, "ww.x.test"), 0);
		CHECK_EQ(host_is(&san, "wwww.x.test"), 0);
		CHECK_EQ(x509_host_match(&san, "A.w.x.TEST", m, sizeof m), 1);
		CHECK_STR(m, "*.w.x.test");
		CHECK_EQ(host_is(&san, "w.x.test"), 0);
		CHECK_EQ(host_is(&san, ".w.x.test"), 0);
		CHECK_EQ(host_is(&san, "a.b.w.x.test"), 0);
		CHECK_EQ(host_is(&san, "*.w.x.test"), 0);	/* a host with a star matches nothing */
		CHECK_EQ(host_is(&san, "a.test"), 0);
		CHECK_EQ(host_is(&san, "foo.y.test"), 0);
		CHECK_EQ(host_is(&san, "a.b.z.test"), 0);
		CHECK_EQ(host_is(&san, "ab"), 0);
		CHECK_EQ(host_is(&san, "x"), 0);
		CHECK_EQ(host_is(&san, ""), 0);
		CHECK_EQ(host_is(&san, "."), 0);
		x509_san_str(&san, s, sizeof s);
		CHECK_STR(s, "www.x.test, *.w.x.test, *.test, f*.y.test, *.*.z.test, a*, *, *., x*.q.test");
		x509_san_str(&san, s, 40);
		CHECK_STR(s, "www.x.test, *.w.x.test, *.test, ...");
	}

	TEST("name: IP addresses only against iPAddress, never a dNSName") {
		static const char *const names[] = { "D:127.0.0.2", "I:\x04\x7f\x00\x00\x01",
		    "I:\x10\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05" };
		struct tb_der san = san_of(names, 3);
		char m[128];

		CHECK_EQ(x509_host_match(&san, "127.0.0.1", m, sizeof m), 1);
		CHECK_STR(m, "127.0.0.1");
		CHECK_EQ(host_is(&san, "127.0.0.2"), 0);
		CHECK_EQ(host_is(&san, "::ffff:127.0.0.1"), 0);
		CHECK_EQ(x509_host_match(&san, "2001:db8:0::5", m, sizeof m), 1);
		CHECK_STR(m, "2001:db8::5");
		CHECK_EQ(host_is(&san, "2001:db8::6"), 0);
		x509_san_str(&san, s, sizeof s);
		CHECK_STR(s, "127.0.0.2, 127.0.0.1, 2001:db8::5");
	}

	TEST("name: an empty or malformed SAN matches nothing") {
		struct tb_der none = { NULL, 0 }, bad = { (const uint8_t *)"\x30\x04\x82\x09" "ab", 6 };

		CHECK_EQ(host_is(&none, "a.test"), 0);
		CHECK_EQ(host_is(&bad, "ab"), -1);
	}

	TEST("name: DNS name constraints, permitted and excluded subtrees") {
		static const char *const c1[] = { "+x.test", "-bad.x.test" };
		static const char *const c2[] = { "+.x.test" };
		static const char *const c3[] = { "-evil.test" };
		struct tb_der nc;
		struct tb_x509 cert;
		char bad[128];

		memset(&cert, 0, sizeof cert);
		nc = nc_of(c1, 2);
		static const char *const ok1[] = { "D:x.test", "D:www.x.test", "D:A.B.X.TEST" };
		cert.san = san_of(ok1, 3);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), 0);
		static const char *const out1[] = { "D:www.x.test", "D:wwwx.test" };
		cert.san = san_of(out1, 2);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), -1);
		CHECK_STR(bad, "wwwx.test");
		static const char *const ex1[] = { "D:bad.x.test" };
		cert.san = san_of(ex1, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), -1);
		static const char *const ex2[] = { "D:a.BAD.x.test" };
		cert.san = san_of(ex2, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), -1);
		static const char *const wild[] = { "D:*.x.test" };
		cert.san = san_of(wild, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), -1);	/* could be bad.x.test */
		static const char *const wildok[] = { "D:*.good.x.test" };
		cert.san = san_of(wildok, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), 0);
		static const char *const ip[] = { "I:\x04\x0a\x00\x00\x01" };
		cert.san = san_of(ip, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), 0);	/* no IP subtrees */
		nc = nc_of(c2, 1);
		cert.san = san_of(ok1, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), -1);	/* ".x.test": below only */
		cert.san = san_of(ok1 + 1, 2);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), 0);
		nc = nc_of(c3, 1);
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), 0);
		cert.san = (struct tb_der){ NULL, 0 };
		CHECK_EQ(x509_nc_check(&nc, &cert, bad, sizeof bad), 0);
	}

	TEST("pem: blocks in turn, strict base64") {
		static char text[20000];
		size_t off = 0;
		long r;

		snprintf(text, sizeof text, "junk\n%s\n-----BEGIN TRUSTED CERTIFICATE-----\nAAAA\n"
		    "-----END TRUSTED CERTIFICATE-----\n%s", pem_p256, pem_ed);
		r = tb_pem_next(text, strlen(text), &off, buf, sizeof buf);
		CHECK_EQ(r, (long)derlen[2]);
		CHECK_MEM(buf, der[2], derlen[2]);
		r = tb_pem_next(text, strlen(text), &off, buf, sizeof buf);
		CHECK_EQ(r, (long)derlen[5]);
		CHECK_MEM(buf, der[5], derlen[5]);
		CHECK_EQ(tb_pem_next(text, strlen(text), &off, buf, sizeof buf), 0);
		CHECK_EQ(tb_pem_next(text, strlen(text), &off, buf, sizeof buf), 0);
		off = 0;
		CHECK_EQ(tb_pem_next(pem_p256, strlen(pem_p256), &off, buf, 10), -1);
#define PEMB(b) "-----BEGIN CERTIFICATE-----\n" b "\n-----END CERTIFICATE-----\n"
		static const struct { const char *t; long want; } cases[] = {
			{ PEMB("AAEC"), 3 }, { PEMB("AAE="), 2 }, { PEMB("AA=="), 1 },
			{ PEMB("AA\r\n E C"), 3 },
			{ PEMB("AAF="), -1 },	/* unused bits set */
			{ PEMB("AB=="), -1 },
			{ PEMB("AAE"), -1 }, { PEMB("A==="), -1 }, { PEMB("AA==AAAA"), -1 },
			{ PEMB("AA=A"), -1 }, { PEMB("AA-_"), -1 }, { PEMB(""), -1 },
			{ PEMB("Proc-Type: 4,ENCRYPTED\n\nAAEC"), -1 },
			{ "-----BEGIN CERTIFICATE-----\nAAEC\n", -1 },
			{ "no block here", 0 },
		};
		for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			off = 0;
			r = tb_pem_next(cases[i].t, strlen(cases[i].t), &off, buf, sizeof buf);
			if (r != cases[i].want)
				printf("#   case %zu: %ld\n", i, r);
			CHECK_EQ(r, cases[i].want);
		}
	}

	return tap_done();
}
