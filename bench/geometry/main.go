// Command geometry-bench times the linear sum assignment (native/assign)
// against scipy.optimize.linear_sum_assignment and the sliced Wasserstein
// distance (native/transport) against POT's ot.sliced_wasserstein_distance,
// on the same data in the same job, and prints the times and the ratios
// reference / Go (> 1 means Go is faster). Go and Python alternate for
// -rounds rounds so that both see the same machine load; each side's best
// round is reported. POT gets the Go side's directions, so the distances
// agree to rounding; the assignment totals agree exactly.
//
// Usage: geometry-bench [-n 1024] [-points 10000] [-d 128] [-projections 500] [-rounds 3]
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"codeberg.org/sbinet/npyio"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/assign"
	"github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/transport"
)

//go:embed reference.py
var referenceScript string

func main() {
	n := flag.Int("n", 1024, "side of the square cost matrix")
	points := flag.Int("points", 10000, "points in each cloud")
	d := flag.Int("d", 128, "dimension of the clouds")
	projections := flag.Int("projections", 500, "directions of the sliced Wasserstein distance")
	rounds := flag.Int("rounds", 3, "rounds (Python then Go); the best is reported")
	dir := flag.String("dir", "build/bench/geometry", "folder for the data files")
	py := flag.String("python", "/usr/bin/python3", "python with scipy and POT")
	flag.Parse()
	if err := run(*n, *points, *d, *projections, *rounds, *dir, *py); err != nil {
		fmt.Fprintln(os.Stderr, "geometry-bench:", err)
		os.Exit(1)
	}
}

type reference struct {
	Versions map[string]string `json:"versions"`
	LSAP     struct {
		Seconds float64 `json:"seconds"`
		Cost    float64 `json:"cost"`
	} `json:"lsap"`
	SW struct {
		Seconds float64 `json:"seconds"`
		Value   float64 `json:"value"`
	} `json:"sw"`
}

func run(n, points, d, projections, rounds int, dir, py string) error {
	rng := rand.New(rand.NewPCG(1, 2))
	cost := mat.NewDense(n, n, nil)
	x := mat.NewDense(points, d, nil)
	y := mat.NewDense(points, d, nil)
	for _, m := range []*mat.Dense{cost, x, y} {
		raw := m.RawMatrix().Data
		for k := range raw {
			if m == cost {
				raw[k] = rng.Float64()
			} else {
				raw[k] = rng.NormFloat64()
			}
		}
	}
	// Y: shifted and stretched along the first axes, so the distance is
	// well away from 0.
	for i := 0; i < points; i++ {
		row := y.RawRowView(i)
		for j := 0; j < d/4; j++ {
			row[j] = 1.5*row[j] + 0.5
		}
	}
	theta, err := transport.RandomDirections(d, projections, 3)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, m := range map[string]*mat.Dense{"cost.npy": cost, "x.npy": x, "y.npy": y, "theta.npy": theta} {
		if err := save(filepath.Join(dir, name), m); err != nil {
			return err
		}
	}
	script := filepath.Join(dir, "reference.py")
	if err := os.WriteFile(script, []byte(referenceScript), 0o644); err != nil {
		return err
	}

	var ref reference
	ref.LSAP.Seconds, ref.SW.Seconds = math.Inf(1), math.Inf(1)
	goLSAP, goSW := math.Inf(1), math.Inf(1)
	var res *assign.Result
	var sw float64
	for r := 0; r < rounds; r++ {
		out, err := reference1(py, script, dir)
		if err != nil {
			return err
		}
		ref.Versions = out.Versions
		if out.LSAP.Seconds < ref.LSAP.Seconds {
			ref.LSAP = out.LSAP
		}
		if out.SW.Seconds < ref.SW.Seconds {
			ref.SW = out.SW
		}
		t := time.Now()
		if res, err = assign.LinearSum(cost, assign.Options{}); err != nil {
			return err
		}
		goLSAP = min(goLSAP, time.Since(t).Seconds())
		t = time.Now()
		if sw, err = transport.SlicedWasserstein(x, y, transport.Options{Directions: theta}); err != nil {
			return err
		}
		goSW = min(goSW, time.Since(t).Seconds())
	}
	fmt.Printf("geometry: BLAS %s; scipy %s, POT %s; best of %d rounds (Python and Go alternate)\n",
		blas.Backend(), ref.Versions["scipy"], ref.Versions["pot"], rounds)
	fmt.Printf("%-44s %10s %12s %8s   %s\n", "what", "Go (s)", "reference (s)", "ref/Go", "agreement")
	fmt.Printf("%-44s %10.4f %12.4f %8.2f   total %.10g, scipy %.10g\n",
		fmt.Sprintf("linear sum assignment %dx%d vs scipy", n, n), goLSAP, ref.LSAP.Seconds, ref.LSAP.Seconds/goLSAP, res.Cost, ref.LSAP.Cost)
	fmt.Printf("%-44s %10.4f %12.4f %8.2f   SW %.10g, POT %.10g\n",
		fmt.Sprintf("sliced W2 %dx%d x2, %d directions vs POT", points, d, projections), goSW, ref.SW.Seconds, ref.SW.Seconds/goSW, sw, ref.SW.Value)
	if math.Abs(res.Cost-ref.LSAP.Cost) > 1e-9*math.Abs(ref.LSAP.Cost) || math.Abs(sw-ref.SW.Value) > 1e-9*ref.SW.Value {
		return fmt.Errorf("results disagree with the references")
	}
	return nil
}

// reference1 runs one round of the Python reference.
func reference1(py, script, dir string) (*reference, error) {
	cmd := exec.Command(py, script, dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("reference script failed (run `make deps`): %v\n%s", err, stderr.String())
	}
	var out reference
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("decoding the reference output %q: %v", stdout.String(), err)
	}
	return &out, nil
}

// save writes m as a float64 .npy file.
func save(path string, m *mat.Dense) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := npyio.Write(f, m); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
