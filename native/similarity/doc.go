// Package similarity compares two representations of the same n stimuli:
// matrices X (n x d1) and Y (n x d2) whose row i describes stimulus i in each
// representation (a layer's activations, a model's embeddings).
//
// Conventions (the ones users trip over):
//
//   - Similarities (every CKA variant, CCA, SVCCA, PWCCA, RSA, mutual kNN,
//     kNN Jaccard) are "higher = more similar". CKA is returned as a
//     similarity in [0, 1] (1 for representations identical up to an
//     orthogonal transform and a positive scale), NOT as 1-CKA as some
//     libraries do; debiased CKA can be slightly negative.
//   - Names ending in Distance are distances (0 for identical inputs):
//     ProcrustesDistance, ShapeDistance, ShapeDistanceEuclidean.
//   - Columns are centred inside every function; inputs are never modified.
//   - Errors, never panics: mismatched numbers of rows, empty inputs, NaN or
//     Inf (with the position of the first one), too few points (debiased CKA
//     needs n > 3, CCA and PWCCA need n >= d).
//
// Heavy products go through gonum's BLAS (blas64/blas32), which the project's
// native/blas package switches to OpenBLAS when built with -tags openblas.
// Matrix computes a layer x layer similarity matrix for any Measure, preparing
// each layer once (centred data, bases, RDMs, neighbour lists) rather than
// once per pair.
package similarity
