/*
 * date.h - the proleptic Gregorian calendar in integers: days since
 * 1970-01-01 to a civil date and back, by 400-year eras of 146097 days
 * whose years start on March 1 (so the leap day is last).  No timegm,
 * gmtime_r or time zone code: a static binary stays small and the
 * result does not depend on TZ.  Every date in lib/ goes through here
 * (MDTM and MLSD times, RFC 5322 Date:, RRSIG times, log stamps).
 */
#ifndef TUBES_DATE_H
#define TUBES_DATE_H

#include <stdint.h>

/* days from 1970-01-01 (negative before) of year-mon-day; mon 1..12 */
int64_t days_from_civil(int64_t year, int mon, int day);
/* the date of a day number: *mon 1..12, *day 1..31 */
void civil_from_days(int64_t days, int64_t *year, int *mon, int *day);
/* the day number of t seconds since the epoch, rounding down (also before 1970) */
int64_t days_of(int64_t t);

#endif
