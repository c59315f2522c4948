/*
 * view.h - the layer view (-X) as the wire decoders see it: one heading per
 * header, one line per field, the bytes at the end; and peer text escaped
 * into a buffer.  No stdio here: where the view goes (struct layers) is
 * the system side's business (tubes.h).
 */
#ifndef TB_VIEW_H
#define TB_VIEW_H

#include <stddef.h>

/* --- layer view (-X) and hex dump ------------------------------------- */

/*
 * A decoder describes a packet to a struct layers: one heading per
 * header ("IPv4, 20 bytes"), then one line per field, named as in its
 * RFC.  lv_hex ends a packet with its bytes.
 */
struct layers;
/* "--- sent 84 bytes to 10.0.0.1 ---" style packet banner */
void lv_packet(struct layers *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lv_layer(struct layers *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lv_field(struct layers *, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void lv_hex(struct layers *, const void *, size_t);


/*
 * Peer text escaped into a buffer as tb_escape (tubes.h) writes it, always
 * NUL-terminated; returns the length wanted.
 */
size_t tb_escape_buf(char *dst, size_t cap, const void *, size_t);

#endif
