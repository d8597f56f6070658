// nbody workload, Go implementation: the classic 5-body simulation of the
// Jovian planets (Sun, Jupiter, Saturn, Uranus, Neptune) with a simple
// symplectic-Euler step over every pair of bodies.
//
// The kernel builds the system and returns the energy before and after
// `size` steps of dt as two numbers with 9 decimals separated by one space.
package main

import (
	"fmt"
	"math"

	protocol "langbench/workloads/protocol/go"
)

const (
	// Units are astronomical units, years and solar masses, so G * M_sun = 4 pi^2.
	solarMass = 4 * math.Pi * math.Pi
	// The initial velocities below are given in AU per day.
	daysPerYear = 365.24
	// Time step of one simulation step, in years.
	dt = 0.01
)

// Body is one body: position, velocity and mass (mass already multiplied by G).
type Body struct {
	x, y, z, vx, vy, vz, mass float64
}

// planet builds a planet from the standard initial conditions, converting
// velocities from AU/day to AU/year and masses from solar masses to G-scaled
// units. Taking float64 parameters makes the products ordinary float64
// arithmetic, as in the other languages, rather than exact Go constant maths.
func planet(x, y, z, vx, vy, vz, mass float64) Body {
	return Body{
		x: x, y: y, z: z,
		vx: vx * daysPerYear, vy: vy * daysPerYear, vz: vz * daysPerYear,
		mass: mass * solarMass,
	}
}

// initialBodies returns the five bodies with the standard initial conditions,
// Sun first and at rest. The literals are the published initial conditions,
// digit for digit, written the same way in all four implementations.
func initialBodies() []Body {
	return []Body{
		// Sun
		{mass: solarMass},
		// Jupiter
		planet(
			4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
			1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
			9.54791938424326609e-04,
		),
		// Saturn
		planet(
			8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
			-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
			2.85885980666130812e-04,
		),
		// Uranus
		planet(
			1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
			2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
			4.36624404335156298e-05,
		),
		// Neptune
		planet(
			1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
			2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
			5.15138902046611451e-05,
		),
	}
}

// offsetMomentum gives the Sun the velocity that makes the total momentum
// zero, so the centre of mass stays put.
func offsetMomentum(bodies []Body) {
	var px, py, pz float64
	for i := range bodies {
		b := &bodies[i]
		px += b.vx * b.mass
		py += b.vy * b.mass
		pz += b.vz * b.mass
	}
	sun := &bodies[0]
	sun.vx = -px / solarMass
	sun.vy = -py / solarMass
	sun.vz = -pz / solarMass
}

// energy is the total energy: kinetic energy of every body minus the
// potential of every pair.
func energy(bodies []Body) float64 {
	e := 0.0
	for i := range bodies {
		bi := &bodies[i]
		e += 0.5 * bi.mass * (bi.vx*bi.vx + bi.vy*bi.vy + bi.vz*bi.vz)
		for j := i + 1; j < len(bodies); j++ {
			bj := &bodies[j]
			dx := bi.x - bj.x
			dy := bi.y - bj.y
			dz := bi.z - bj.z
			e -= bi.mass * bj.mass / math.Sqrt(dx*dx+dy*dy+dz*dz)
		}
	}
	return e
}

// advance does one time step: update velocities from the force of every
// pair, then move every body along its new velocity.
func advance(bodies []Body, dt float64) {
	for i := range bodies {
		// Pointers into the slice update the bodies in place.
		bi := &bodies[i]
		for j := i + 1; j < len(bodies); j++ {
			bj := &bodies[j]
			dx := bi.x - bj.x
			dy := bi.y - bj.y
			dz := bi.z - bj.z
			d2 := dx*dx + dy*dy + dz*dz
			mag := dt / (d2 * math.Sqrt(d2))
			mj := bj.mass * mag
			bi.vx -= dx * mj
			bi.vy -= dy * mj
			bi.vz -= dz * mj
			mi := bi.mass * mag
			bj.vx += dx * mi
			bj.vy += dy * mi
			bj.vz += dz * mi
		}
	}
	for i := range bodies {
		b := &bodies[i]
		b.x += dt * b.vx
		b.y += dt * b.vy
		b.z += dt * b.vz
	}
}

// formatResult formats the energies before and after as the canonical result.
func formatResult(e0, e1 float64) string {
	return fmt.Sprintf("%.9f %.9f", e0, e1)
}

// kernel is the workload kernel: fresh system, energy, size steps, energy again.
func kernel(size uint64) string {
	bodies := initialBodies()
	offsetMomentum(bodies)
	e0 := energy(bodies)
	for i := uint64(0); i < size; i++ {
		advance(bodies, dt)
	}
	e1 := energy(bodies)
	return formatResult(e0, e1)
}

func main() { protocol.Main(kernel) }
