// Package compress shrinks embeddings and measures what the shrinking
// costs in retrieval: how much recall of the exact k nearest neighbours is
// lost for how much memory and speed.
//
// Every method works on float32 rows (points) and ranks by Euclidean
// distance; for cosine similarity, L2-normalise the rows first (Normalize),
// after which Euclidean and cosine rankings agree. The methods:
//
//   - projections (Transformer): Gaussian and very sparse random
//     projections with scikit-learn's scaling (RandomProjection), the
//     Johnson-Lindenstrauss minimum dimension (JLMinDim), PCA projection and
//     whitening (FitPCAProjection), truncation of the real FFT along the
//     embedding dimension (FFTTruncation), Matryoshka truncation with
//     renormalisation (Matryoshka);
//   - quantisation (Searcher): sign binarisation packed 8 dimensions a byte
//     with Hamming search and optional rescoring (BinaryIndex), int8 scalar
//     quantisation with calibrated ranges (Int8Index), product quantisation
//     with k-means codebooks (package native/cluster) and asymmetric
//     distance tables (PQIndex), and low rank followed by product
//     quantisation (NewLowRankPQIndex);
//   - multi-vector sets: MUVERA fixed-dimensional encodings (FDE) whose
//     inner products approximate the Chamfer similarity (Chamfer);
//   - graph embeddings: FastRP on a kNN graph or a sparse adjacency;
//   - evaluation: RecallAtK against exact search (package native/knn),
//     Measure and Evaluate producing recall / memory / queries-per-second
//     tables, and recall split by pointwise local intrinsic dimension
//     (RecallByLID).
//
// Every index answers with a *knn.Result, like exact search; the HNSW graph
// of package native/ann is a Searcher too. Memory per vector
// (BytesPerVector) counts what the index stores per row, not shared
// codebooks or projection matrices (reported separately where they exist).
package compress
