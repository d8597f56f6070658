//! nbody workload, Rust implementation: the classic 5-body simulation of the
//! Jovian planets (Sun, Jupiter, Saturn, Uranus, Neptune) with a simple
//! symplectic-Euler step over every pair of bodies.
//!
//! The kernel builds the system and returns the energy before and after `size`
//! steps of `DT`, as two numbers with 9 decimals separated by one space.

use std::f64::consts::PI;

/// Units are astronomical units, years and solar masses, so G * M_sun = 4 pi^2.
pub const SOLAR_MASS: f64 = 4.0 * PI * PI;
/// The initial velocities below are given in AU per day.
pub const DAYS_PER_YEAR: f64 = 365.24;
/// Time step of one simulation step, in years.
pub const DT: f64 = 0.01;

/// One body: position, velocity and mass (mass already multiplied by G).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Body {
    pub x: f64,
    pub y: f64,
    pub z: f64,
    pub vx: f64,
    pub vy: f64,
    pub vz: f64,
    pub mass: f64,
}

/// A planet from the standard initial conditions, converting velocities from
/// AU/day to AU/year and masses from solar masses to G-scaled units.
fn planet(pos: [f64; 3], vel: [f64; 3], mass: f64) -> Body {
    Body {
        x: pos[0],
        y: pos[1],
        z: pos[2],
        vx: vel[0] * DAYS_PER_YEAR,
        vy: vel[1] * DAYS_PER_YEAR,
        vz: vel[2] * DAYS_PER_YEAR,
        mass: mass * SOLAR_MASS,
    }
}

/// The five bodies with the standard initial conditions, Sun first and at rest.
// The literals are the published initial conditions, digit for digit, written
// the same way in all four implementations.
#[allow(clippy::excessive_precision)]
pub fn initial_bodies() -> Vec<Body> {
    vec![
        // Sun
        Body {
            x: 0.0,
            y: 0.0,
            z: 0.0,
            vx: 0.0,
            vy: 0.0,
            vz: 0.0,
            mass: SOLAR_MASS,
        },
        // Jupiter
        planet(
            [
                4.84143144246472090e+00,
                -1.16032004402742839e+00,
                -1.03622044471123109e-01,
            ],
            [
                1.66007664274403694e-03,
                7.69901118419740425e-03,
                -6.90460016972063023e-05,
            ],
            9.54791938424326609e-04,
        ),
        // Saturn
        planet(
            [
                8.34336671824457987e+00,
                4.12479856412430479e+00,
                -4.03523417114321381e-01,
            ],
            [
                -2.76742510726862411e-03,
                4.99852801234917238e-03,
                2.30417297573763929e-05,
            ],
            2.85885980666130812e-04,
        ),
        // Uranus
        planet(
            [
                1.28943695621391310e+01,
                -1.51111514016986312e+01,
                -2.23307578892655734e-01,
            ],
            [
                2.96460137564761618e-03,
                2.37847173959480950e-03,
                -2.96589568540237556e-05,
            ],
            4.36624404335156298e-05,
        ),
        // Neptune
        planet(
            [
                1.53796971148509165e+01,
                -2.59193146099879641e+01,
                1.79258772950371181e-01,
            ],
            [
                2.68067772490389322e-03,
                1.62824170038242295e-03,
                -9.51592254519715870e-05,
            ],
            5.15138902046611451e-05,
        ),
    ]
}

/// Gives the Sun the velocity that makes the total momentum zero, so the
/// centre of mass stays put.
pub fn offset_momentum(bodies: &mut [Body]) {
    let (mut px, mut py, mut pz) = (0.0, 0.0, 0.0);
    for b in bodies.iter() {
        px += b.vx * b.mass;
        py += b.vy * b.mass;
        pz += b.vz * b.mass;
    }
    let sun = &mut bodies[0];
    sun.vx = -px / SOLAR_MASS;
    sun.vy = -py / SOLAR_MASS;
    sun.vz = -pz / SOLAR_MASS;
}

/// Total energy: kinetic energy of every body minus the potential of every pair.
pub fn energy(bodies: &[Body]) -> f64 {
    let mut e = 0.0;
    for (i, bi) in bodies.iter().enumerate() {
        e += 0.5 * bi.mass * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz);
        for bj in &bodies[i + 1..] {
            let dx = bi.x - bj.x;
            let dy = bi.y - bj.y;
            let dz = bi.z - bj.z;
            e -= bi.mass * bj.mass / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    e
}

/// One time step: update velocities from the force of every pair, then move
/// every body along its new velocity.
pub fn advance(bodies: &mut [Body], dt: f64) {
    let n = bodies.len();
    for i in 0..n {
        // split_at_mut lets body i and the bodies after it be borrowed together.
        let (head, tail) = bodies.split_at_mut(i + 1);
        let bi = &mut head[i];
        for bj in tail.iter_mut() {
            let dx = bi.x - bj.x;
            let dy = bi.y - bj.y;
            let dz = bi.z - bj.z;
            let d2 = dx * dx + dy * dy + dz * dz;
            let mag = dt / (d2 * d2.sqrt());
            let mj = bj.mass * mag;
            bi.vx -= dx * mj;
            bi.vy -= dy * mj;
            bi.vz -= dz * mj;
            let mi = bi.mass * mag;
            bj.vx += dx * mi;
            bj.vy += dy * mi;
            bj.vz += dz * mi;
        }
    }
    for b in bodies.iter_mut() {
        b.x += dt * b.vx;
        b.y += dt * b.vy;
        b.z += dt * b.vz;
    }
}

/// Formats the energies before and after as the canonical result.
pub fn format_result(e0: f64, e1: f64) -> String {
    format!("{e0:.9} {e1:.9}")
}

/// The workload kernel: fresh system, energy, `size` steps, energy again.
pub fn kernel(size: u64) -> String {
    let mut bodies = initial_bodies();
    offset_momentum(&mut bodies);
    let e0 = energy(&bodies);
    for _ in 0..size {
        advance(&mut bodies, DT);
    }
    let e1 = energy(&bodies);
    format_result(e0, e1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_size_gives_expected_result() {
        assert_eq!(kernel(1000), "-0.169075164 -0.169087605");
    }

    #[test]
    fn initial_energy_does_not_depend_on_step_count() {
        assert!(kernel(1).starts_with("-0.169075164 "));
    }

    #[test]
    fn offset_momentum_zeroes_total_momentum() {
        let mut bodies = initial_bodies();
        offset_momentum(&mut bodies);
        let px: f64 = bodies.iter().map(|b| b.vx * b.mass).sum();
        let py: f64 = bodies.iter().map(|b| b.vy * b.mass).sum();
        let pz: f64 = bodies.iter().map(|b| b.vz * b.mass).sum();
        assert!(px.abs() < 1e-15 && py.abs() < 1e-15 && pz.abs() < 1e-15);
    }

    #[test]
    fn advance_moves_bodies_along_velocity() {
        // Two far-apart bodies barely interact, so positions follow v * dt.
        let mut bodies = vec![
            Body {
                x: 0.0,
                y: 0.0,
                z: 0.0,
                vx: 1.0,
                vy: 0.0,
                vz: 0.0,
                mass: 1e-12,
            },
            Body {
                x: 1e6,
                y: 0.0,
                z: 0.0,
                vx: 0.0,
                vy: 2.0,
                vz: 0.0,
                mass: 1e-12,
            },
        ];
        advance(&mut bodies, 0.5);
        assert!((bodies[0].x - 0.5).abs() < 1e-12);
        assert!((bodies[1].y - 1.0).abs() < 1e-12);
    }

    #[test]
    fn energy_is_conserved_roughly() {
        let mut bodies = initial_bodies();
        offset_momentum(&mut bodies);
        let e0 = energy(&bodies);
        for _ in 0..10_000 {
            advance(&mut bodies, DT);
        }
        let e1 = energy(&bodies);
        assert!(((e1 - e0) / e0).abs() < 1e-3);
    }

    #[test]
    fn format_uses_nine_decimals() {
        assert_eq!(format_result(-0.5, 0.25), "-0.500000000 0.250000000");
    }
}
