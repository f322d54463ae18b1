// Package latent makes latent spaces communicate: two networks trained
// from different seeds, or two encoders, embed the same inputs in spaces
// that differ by a near-isometry, and this package
//
//   - chooses anchors (random, farthest-point, k-means, class-stratified);
//   - represents points relative to anchors (Moschella et al. 2023,
//     "Relative representations enable zero-shot latent space
//     communication"): similarities to the anchors under cosine,
//     Euclidean, L1 and L-infinity, with optional centring, top-k
//     sparsification and the product of invariances of Cannistraci et al.
//     (2024);
//   - fits a Translator from paired anchors (Maiorca et al. 2023, latent
//     space translation): orthogonal Procrustes (with centring, isotropic
//     scale, standardisation), affine and plain least squares (the
//     ReplaceMe block map X T ~= Y), ridge, CCA; saved to .safetensors;
//   - aligns unpaired spaces in the style of mini-vec2vec (Dar 2025):
//     matched k-means centroids as anchors, pseudo-pairs by mutual nearest
//     neighbours of relative representations, Procrustes, iterated;
//   - evaluates a translation (cosine, MSE, top-k retrieval, mean
//     reciprocal rank, neighbourhood Jaccard) and measures zero-shot
//     stitching: the encoder of one native/nn network, a translation or a
//     relative representation, the classification head of another.
//
// Rows are points. Every function meant for cells is non-generic and
// takes mat.Matrix when it only reads its input. Matrix products go
// through the BLAS of native/blas (OpenBLAS with the openblas tag), the
// singular value decompositions through LAPACK's dgesdd
// (native/internal/linalg). Errors name the argument, its shape, the row.
package latent
