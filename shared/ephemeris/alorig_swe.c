#include <string.h>
#include "alorig_swe.h"

// Debian builds libswe with thread-local state: the ephemeris path, open files and caches
// belong to the OS thread that set them. Go moves goroutines between threads, so every entry
// point first makes sure the calling thread uses the handle's path.
static __thread char alorig_path[4096];

static void alorig_use_path(const char *p) {
	if (strcmp(alorig_path, p) != 0) {
		swe_set_ephe_path(p);
		strncpy(alorig_path, p, sizeof(alorig_path) - 1);
	}
}

int32 alorig_calc(const char *p, double jd, int32 ipl, int32 fl, double *xx, char *serr) {
	alorig_use_path(p);
	return swe_calc_ut(jd, ipl, fl, xx, serr);
}

int32 alorig_rise(const char *p, double jd, int32 ipl, int32 rsmi, double *geo,
		double press, double temp, double *tret, char *serr) {
	alorig_use_path(p);
	return swe_rise_trans(jd, ipl, NULL, SEFLG_SWIEPH, rsmi, geo, press, temp, tret, serr);
}

// alorig_probe computes the Sun and the Moon at J2000 and reports the span covered by both the
// planet and the Moon file, all on one thread so the file data belongs to those calculations.
int32 alorig_probe(const char *p, double *start, double *end, char *serr) {
	double xx[6], s, e;
	int de;
	int32 fl;
	alorig_use_path(p);
	for (int ipl = SE_SUN; ipl <= SE_MOON; ipl++) {
		fl = swe_calc_ut(2451545.0, ipl, SEFLG_SWIEPH | SEFLG_SPEED, xx, serr);
		if (fl < 0 || (fl & SEFLG_SWIEPH) == 0) return -1;
	}
	*start = -1e30;
	*end = 1e30;
	for (int i = 0; i < 2; i++) {
		if (swe_get_current_file_data(i, &s, &e, &de) == NULL) return -2;
		if (s > *start) *start = s;
		if (e < *end) *end = e;
	}
	return 0;
}
