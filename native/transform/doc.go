// Package transform maps features (columns) and point sets to new
// coordinates: power transforms (Yeo-Johnson, Box-Cox) with maximum
// likelihood lambdas computed in the log domain so that they neither
// overflow nor pick a wrong lambda on extreme columns; the quantile
// transform and the kernel-density integral transform; orthonormal Hermite,
// Fourier and tropical (max-plus) feature maps, random Fourier and
// simplex-coupled random features, and Hermite activations fitted to a
// target function; PCA/ZCA whitening, spectral transformations of a
// covariance and matrix square roots (eigen-decomposition, Newton-Schulz,
// Padé).
//
// Conventions: rows are samples and columns features, as in scikit-learn.
// Fitted transforms are values (Power, Quantile, KDEIntegral, Whitener)
// whose Transform methods take new rows; the one-call helpers
// (PowerTransform, QuantileTransform, ...) fit and transform at once.
// Inputs are validated (nil, empty, NaN/Inf, shapes) and errors name the
// argument, the row and the column.
package transform

import "github.com/subspace-kernel/subspace/native/internal/check"

var chk = check.New("transform")
