/* Text of a SEPA file in the EPC's Latin character set (EPC217-08: the
 * letters a-z A-Z, digits and / - ? : ( ) . , ' + and space), which
 * every bank of the zone accepts, whatever the schema's UTF-8 allows. */
#ifndef FC_APP_FINANCE_EPC_TEXT_H
#define FC_APP_FINANCE_EPC_TEXT_H

#include <stddef.h>

/* UTF-8 text transliterated (é → e, ß → ss, Œ → OE, & → +, ’ → '), runs
 * of spaces made one, trimmed, and cut to max characters: out holds max
 * + 1 bytes.  A character with no Latin equivalent becomes '.'.  Returns
 * the length written. */
size_t	epc_text(const char *in, char *out, size_t max);
/* 1 when s is an identifier a bank takes (MsgId, EndToEndId...): 1 to
 * 35 characters of the set, neither starting nor ending with '/', no
 * "//". */
int	epc_id_ok(const char *s);
/* 1 when every character of s is in the set. */
int	epc_text_ok(const char *s);

#endif
