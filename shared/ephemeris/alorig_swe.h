#ifndef ALORIG_SWE_H
#define ALORIG_SWE_H

#include <swephexp.h>

int32 alorig_calc(const char *p, double jd, int32 ipl, int32 fl, double *xx, char *serr);
int32 alorig_rise(const char *p, double jd, int32 ipl, int32 rsmi, double *geo,
		double press, double temp, double *tret, char *serr);
int32 alorig_probe(const char *p, double *start, double *end, char *serr);

#endif
