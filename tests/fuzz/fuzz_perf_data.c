// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the perf.data reader, driven the way spedump drives it
 * (open from memory, walk every event, decode every AUXTRACE buffer).
 * Checks beyond "no crash": every AUXTRACE buffer lies inside the input,
 * the feature strings are no longer than the input, and an error always
 * comes with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "perf_data.h"
#include "spe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spe_decoder dec;
	struct spe_pd_event ev;
	struct spe_pd *pd;
	char err[512] = "";
	int ret, n;

	ret = spe_pd_open_mem(data, size, "fuzz", &pd, err, sizeof(err));
	if (ret != SPE_PD_OK) {
		if (!err[0])
			abort();
		return 0;
	}
	spe_decoder_init(&dec);
	while ((n = spe_pd_next(pd, &ev)) > 0) {
		if (ev.type == SPE_PD_EV_AUXTRACE) {
			const uint8_t *p = ev.auxtrace.data;

			/* file mode hands out pointers into the input */
			if (spe_pd_format(pd) == SPE_PD_FMT_FILE &&
			    (p < data || ev.auxtrace.size > size ||
			     p + ev.auxtrace.size > data + size))
				abort();
			spe_decoder_feed(&dec, p, (size_t)ev.auxtrace.size);
			while (spe_decoder_next(&dec))
				;
		} else if (ev.type == SPE_PD_EV_AUX) {
			uint32_t idx, cpu;

			spe_pd_aux_queue(pd, &ev, &idx, &cpu);
		} else if (ev.type == SPE_PD_EV_COMM) {
			if (strlen(ev.comm.comm) > size)
				abort();
		} else if (ev.type == SPE_PD_EV_MMAP) {
			if (strlen(ev.mmap.filename) > size)
				abort();
		}
	}
	if (n < 0 && !err[0])
		abort();
	/* the HEADER_VERSION text (spekit's synthetic mark) is cut to fit */
	if (spe_pd_version(pd) && strlen(spe_pd_version(pd)) > size)
		abort();
	if (spe_pd_synthetic(pd) && !spe_pd_version(pd))
		abort();
	spe_decoder_finish(&dec);
	spe_pd_close(pd);
	return 0;
}
