//! spectral-norm workload (Rust): the spectral norm of the n x n truncation of the
//! infinite matrix A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1), by the power
//! method on AᵀA. Same algorithm and data layout as the Go, Node.js and Python
//! implementations: plain `Vec<f64>` vectors, sequential loops, matrix entries
//! computed on the fly (the matrix is never stored).

/// Number of power-method rounds; each round applies AᵀA twice (u -> v -> u).
pub const ROUNDS: usize = 10;

/// Entry (i, j) of the matrix, both indices 0-based.
///
/// The denominator is computed in integer arithmetic (exact; it fits easily for
/// any n this benchmark uses) and only then converted, so every language gets the
/// same value for it.
pub fn eval_a(i: usize, j: usize) -> f64 {
    let ij = i + j;
    1.0 / ((ij * (ij + 1) / 2 + i + 1) as f64)
}

/// out = A · v
pub fn multiply_av(v: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        // Plain left-to-right sum, the same order in all four languages.
        *o = v
            .iter()
            .enumerate()
            .fold(0.0, |sum, (j, &vj)| sum + eval_a(i, j) * vj);
    }
}

/// out = Aᵀ · v
pub fn multiply_atv(v: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = v
            .iter()
            .enumerate()
            .fold(0.0, |sum, (j, &vj)| sum + eval_a(j, i) * vj);
    }
}

/// out = Aᵀ · (A · v); `tmp` holds the intermediate A · v.
pub fn multiply_atav(v: &[f64], out: &mut [f64], tmp: &mut [f64]) {
    multiply_av(v, tmp);
    multiply_atv(tmp, out);
}

/// Dot product, summed left to right.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |sum, (&x, &y)| sum + x * y)
}

/// The spectral norm estimate for the n x n truncation of A.
pub fn spectral_norm(n: usize) -> f64 {
    let mut u = vec![1.0; n];
    let mut v = vec![0.0; n];
    let mut tmp = vec![0.0; n];
    for _ in 0..ROUNDS {
        multiply_atav(&u, &mut v, &mut tmp);
        multiply_atav(&v, &mut u, &mut tmp);
    }
    (dot(&u, &v) / dot(&v, &v)).sqrt()
}

/// The workload kernel: `size` is n; the result is the norm with 9 decimals.
pub fn kernel(size: u64) -> String {
    let n = usize::try_from(size).expect("size does not fit in usize");
    format!("{:.9}", spectral_norm(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_entries() {
        // Top-left corner of A: 1, 1/2, 1/4 / 1/3, 1/5 / 1/6.
        assert_eq!(eval_a(0, 0), 1.0);
        assert_eq!(eval_a(0, 1), 1.0 / 2.0);
        assert_eq!(eval_a(1, 0), 1.0 / 3.0);
        assert_eq!(eval_a(0, 2), 1.0 / 4.0);
        assert_eq!(eval_a(1, 1), 1.0 / 5.0);
        assert_eq!(eval_a(2, 0), 1.0 / 6.0);
    }

    #[test]
    fn transpose_product_matches_explicit_transpose() {
        let v = [1.0, 2.0, 3.0];
        let mut out = [0.0; 3];
        multiply_atv(&v, &mut out);
        for (i, &o) in out.iter().enumerate() {
            let expected: f64 = (0..3).map(|j| eval_a(j, i) * v[j]).sum();
            assert!((o - expected).abs() < 1e-15);
        }
    }

    #[test]
    fn one_by_one_matrix() {
        // A is [1], so the norm is exactly 1.
        assert_eq!(kernel(1), "1.000000000");
    }

    #[test]
    fn quick_size() {
        assert_eq!(kernel(100), "1.274219991");
    }
}
